/**
 * The original enclave logged plaintext commands and keys. Ours logs nothing, and no error from a
 * failing path carries an amount, a destination (hex or SS58) or key material.
 */
import { Enclave, EnclaveSecret } from '../../../contract/enclave';
import { openReply, queryAad, sealEnvelope } from '../../../shared/crypto/envelope';
import { accountIdToAddress, toHex } from '../../../shared/types';
import { encodeQueryRequest } from '../../../shared/protocol/query';
import {
  BlockBuilder, CONFIG, CONTRACT, Feeder, GENESIS, NOW, accounts, amt, asset, idOf, newEnclave, openSession, randomAccount, seal, thrown,
} from './helpers';
import { withKnownContractSecret } from '../../helpers/known-secret';

const AMOUNT = 987_654_321_123n;

describe('secrets stay out of logs and errors', () => {
  it('no failing path puts the amount, the destination or a key into an error', async () => {
    const acc = await accounts();
    const dest = randomAccount();
    const forbidden = [AMOUNT.toString(), dest, dest.slice(2), accountIdToAddress(dest), accountIdToAddress(dest, 0)];
    const { secret, contractSecret } = withKnownContractSecret();
    forbidden.push(toHex(contractSecret).slice(2));
    const logs = (['log', 'info', 'warn', 'error', 'debug'] as const).map((m) => jest.spyOn(console, m).mockImplementation(() => {}));

    const e = await newEnclave(secret);
    const feed = new Feeder();
    const alice = idOf(acc.alice);
    const transfer = await seal(e, alice, { kind: 'Transfer', asset: asset(0), dest, amount: amt(AMOUNT) });
    const withdraw = await seal(e, alice, { kind: 'Withdraw', dest, amount: amt(AMOUNT) });
    const tampered = transfer.slice();
    tampered[100] ^= 1;
    await feed.feed(e, new BlockBuilder().deposit(alice, AMOUNT).push(alice, transfer).push(alice, withdraw).push(dest, tampered).push(alice, withdraw));

    const errors: unknown[] = [];
    const collect = async (fn: () => unknown) => errors.push(await thrown(fn));
    // Blocks a lying host hands over: a deposit it invented, a body of another block, a forged justification.
    const honest = feed.block(new BlockBuilder().deposit(dest, AMOUNT));
    const invented = feed.block(new BlockBuilder().deposit(dest, AMOUNT).deposit(dest, AMOUNT));
    await collect(() => e.ingest([{ ...honest, proof: invented.proof }]));
    await collect(() => e.ingest([{ ...honest, extrinsics: invented.extrinsics }]));
    await collect(() => e.ingest([{ ...honest, justification: honest.justification!.map((x, i) => (i === 100 ? x ^ 1 : x)) }]));
    await collect(() => e.handleQuery(tampered, NOW));
    await collect(() => e.handleQuery(new Uint8Array(10), NOW));
    const s = await openSession(e, acc.alice);
    const frame = s.frame({ kind: 'Balances' });
    e.handleSessionQuery(frame, NOW);
    await collect(() => e.handleSessionQuery(frame, NOW));
    const bent = s.frame({ kind: 'Balances' });
    bent[bent.length - 1] ^= 1;
    await collect(() => e.handleSessionQuery(bent, NOW));
    await collect(() => e.handleSessionQuery(new Uint8Array(40), NOW));
    const sealed = e.seal();
    sealed[sealed.length - 3] ^= 1;
    await collect(() => Enclave.restore(secret, CONFIG, sealed));
    await collect(() => Enclave.restore(EnclaveSecret.generate(), CONFIG, e.seal()));
    await collect(() => EnclaveSecret.unwrapForDev(secret.wrapForDev(EnclaveSecret.newDevKeyFile()), EnclaveSecret.newDevKeyFile()));

    // A refused query is sealed: the host sees only ciphertext.
    const { envelope, replyKey } = await sealEnvelope('query', e.contractPub, queryAad(GENESIS, CONTRACT), encodeQueryRequest({ kind: 'Public', query: { kind: 'Balances' } }));
    expect(openReply(replyKey, await e.handleQuery(envelope, NOW)).length).toBeGreaterThan(0);

    expect(errors).toHaveLength(11);
    for (const err of errors) {
      expect(err).toBeInstanceOf(Error);
      const text = `${(err as Error).name} ${(err as Error).message} ${JSON.stringify(err)} ${(err as Error).stack ?? ''}`;
      for (const f of forbidden) expect(text).not.toContain(f);
    }
    for (const spy of logs) {
      expect(spy).not.toHaveBeenCalled();
      spy.mockRestore();
    }
  });
});
