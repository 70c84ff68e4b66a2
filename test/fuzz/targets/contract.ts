/**
 * Fuzz targets for the confidential contract: the ledger's command handling (stateful: one ledger
 * across all cases, checked for conservation of supply) and the worker's query endpoint (the enclave's
 * query handlers, which must never change the ledger's state).
 */
import { Keyring } from '@polkadot/keyring';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Enclave, EnclaveSecret } from '../../../contract/enclave';
import { Ledger } from '../../../contract/ledger';
import { signAsAccount } from '../../../shared/crypto/account-signature';
import { queryAad, sealEnvelope } from '../../../shared/crypto/envelope';
import { sealFrame } from '../../../shared/crypto/session';
import { ProtocolError } from '../../../shared/errors';
import { decodeCommand, encodeCommand, type SecretCommand } from '../../../shared/protocol/command';
import { encodeQuery, encodeQueryRequest, signedQueryMessage, type QueryRequest } from '../../../shared/protocol/query';
import { accountId, amount, assetId, contractId, hash32, type AccountId, type AssetId } from '../../../shared/types';
import type { FuzzTarget } from '../engine';
import { TEST_GENESIS, TestChain } from '../../helpers/test-chain';
import { sampleCommands } from './protocol';

const acct = (b: number): AccountId => accountId(new Uint8Array(32).fill(b));
const PARTIES = [1, 2, 3, 4].map(acct);
const REF = hash32(new Uint8Array(32));

/** Input: flags u8 | (deposit: 16-byte amount) or (command: SCALE SecretCommand, possibly broken). */
function ledgerTarget(): FuzzTarget {
  const ledger = Ledger.create({ contractId: contractId(1), native: { symbol: 'PHA', name: 'Secret PHA', decimals: 12 } });
  const seen = new Set<AccountId>(PARTIES);
  let block = 0;
  let cases = 0;
  const friendly: SecretCommand[] = [
    ...sampleCommands,
    { kind: 'Transfer', asset: assetId(0), dest: PARTIES[1], amount: amount(3n) },
    { kind: 'Transfer', asset: assetId(1), dest: PARTIES[2], amount: amount(1n) },
    { kind: 'Withdraw', dest: PARTIES[3], amount: amount(2n) },
    { kind: 'Issue', symbol: 'TOK', name: 'Token', decimals: 0, supply: amount(1000n) },
  ];
  const seeds = [
    ...friendly.map((c, i) => Uint8Array.of(i % 4, ...encodeCommand(c))),
    Uint8Array.of(0x80, ...new Uint8Array(16).fill(0).map((_, i) => (i === 0 ? 100 : 0))), // deposit 100 to party 0
  ];
  return {
    name: 'ledger-commands', seeds, accepts: () => false, // the ledger never throws on a user's bad command
    run(input) {
      if (input.length === 0) return;
      const who = PARTIES[input[0] & 3];
      block++;
      const ctx = { block, index: 0, ref: REF };
      if (input[0] & 0x80) {
        let v = 0n;
        for (let i = Math.min(input.length, 17) - 1; i >= 1; i--) v = (v << 8n) | BigInt(input[i]);
        ledger.deposit(ctx, who, amount(v));
      } else {
        let command: SecretCommand | null = null;
        try {
          command = decodeCommand(input.subarray(1));
        } catch (e) {
          if (!(e instanceof ProtocolError)) throw e;
        }
        if (command && 'dest' in command) seen.add(command.dest);
        ledger.apply(ctx, who, command);
      }
      ledger.endBlock(block);
    },
    invariant() {
      if (++cases % 64 !== 0) return null;
      for (const a of ledger.assets()) {
        let sum = 0n;
        for (const who of seen) sum += ledger.balances(who).find((b) => b.asset === a.id)?.amount ?? 0n;
        if (sum !== ledger.totalSupply(a.id as AssetId)) return `asset ${a.id}: balances sum ${sum} ≠ supply ${ledger.totalSupply(a.id)}`;
      }
      if (cases % 1024 === 0) {
        const bytes = ledger.encode();
        if (Buffer.compare(Buffer.from(Ledger.decode(bytes).encode()), Buffer.from(bytes)) !== 0) return 'encode → decode → encode changed the state';
      }
      return null;
    },
  };
}

async function queryEndpointTarget(): Promise<FuzzTarget> {
  await cryptoWaitReady();
  const genesisHash = TEST_GENESIS.hash;
  const enclave = await Enclave.create(EnclaveSecret.generate(), {
    genesisHash, contractId: contractId(1), native: { symbol: 'PHA', name: 'Secret PHA', decimals: 12 }, metadata: TEST_GENESIS.metadata, genesis: TEST_GENESIS,
  });
  const alice = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const aliceId = accountId(alice.publicKey);
  await enclave.ingest([new TestChain().block([{ kind: 'deposit', contractId: 1, who: aliceId, amount: 500n }])]);
  const target = { genesisHash, contractId: contractId(1), contractPub: enclave.contractPub };
  const now = Date.now();
  const signed: QueryRequest = {
    kind: 'Signed', account: aliceId, issuedAt: BigInt(now), query: { kind: 'Balances' },
    signature: signAsAccount(alice, signedQueryMessage(target, aliceId, BigInt(now), { kind: 'Balances' })),
  };
  const requests: QueryRequest[] = [{ kind: 'Public', query: { kind: 'Assets' } }, signed];
  const aad = queryAad(genesisHash, contractId(1));
  const envelopes = await Promise.all(requests.map(async (r) => (await sealEnvelope('query', enclave.contractPub, aad, encodeQueryRequest(r))).envelope));
  const frames = [1n, 2n].map((c) => sealFrame(new Uint8Array(32).fill(3), new Uint8Array(16).fill(4), c, 'request', encodeQuery({ kind: 'Balances' })));
  const root = enclave.stateRoot();
  let cases = 0;
  return {
    name: 'worker-query-endpoint', seeds: [...envelopes, ...frames], accepts: (e) => e instanceof ProtocolError,
    async run(input) {
      // The server hands every body to one of these two; a version byte picks the envelope path.
      if (input[0] === 1) await enclave.handleQuery(input, now);
      else enclave.handleSessionQuery(input, now);
    },
    invariant: () => (++cases % 256 === 0 && enclave.stateRoot() !== root ? 'a query changed the ledger state' : null),
  };
}

export async function contractTargets(): Promise<FuzzTarget[]> {
  return [ledgerTarget(), await queryEndpointTarget()];
}
