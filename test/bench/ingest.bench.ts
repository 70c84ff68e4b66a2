/**
 * `npm run bench -- ingest`: secret transfers opened and applied per second by the enclave, with 100k
 * funded accounts in the ledger and blocks of 500 commands.
 *
 * Bound, measured in the same run with the same batching (Promise.all per block): per command one
 * WebCrypto X25519 agreement (importKey raw + deriveBits, as openCommand does) and one 128-byte
 * XChaCha20-Poly1305 open — the crypto no enclave can skip. Goal: ≥ 0.7 of it.
 * Sealing the envelopes is the clients' cost and happens before measuring.
 * Also reports the heap bytes per account of a 100k-account state (runner passes --expose-gc).
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { blake2b } from '@noble/hashes/blake2.js';
import { randomBytes } from '@noble/hashes/utils.js';
import { Keyring } from '@polkadot/keyring';
import type { KeyringPair } from '@polkadot/keyring/types';
import { cryptoWaitReady } from '@polkadot/util-crypto';
import { Enclave, type BlockItem } from '../../contract/enclave';
import { signAsAccount } from '../../shared/crypto/account-signature';
import { commandAad, contractKeyFromSecret, deriveKey, openReply, queryAad, sealCommand, sealEnvelope } from '../../shared/crypto/envelope';
import { decodeQueryResponse, encodeQueryRequest, signedQueryMessage, type Query } from '../../shared/protocol/query';
import { accountId, toHex, type AccountId, type Amount, type AssetId, type ContractId } from '../../shared/types';
import { opsPerSecond, report } from './lib';
import { withKnownContractSecret } from '../helpers/known-secret';

const ACCOUNTS = 100_000;
const BLOCK = 500;
const PREPARED_BLOCKS = 24;
const GOAL = 0.7;
const CONTRACT = 1 as ContractId;
const GENESIS = blake2b(new TextEncoder().encode('ingest-bench'), { dkLen: 32 });
const subtle = globalThis.crypto.subtle;

const gc = (globalThis as { gc?: () => void }).gc;
const heapUsed = () => {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed;
};
const hashOf = (n: number) => toHex(blake2b(new Uint8Array(new Uint32Array([n]).buffer), { dkLen: 32 }));

/** What the bound needs per envelope, derived ahead: the ephemeral key, and the AEAD key and AAD to open with. */
/** The witness's last history page, through a real signed query: did the measured commands really apply? */
async function lastFailures(enclave: Enclave, pair: KeyringPair): Promise<{ total: number; failed: number }> {
  const account = accountId(pair.publicKey);
  const target = { genesisHash: GENESIS, contractId: CONTRACT, contractPub: enclave.contractPub };
  const ask = async (query: Query) => {
    const issuedAt = BigInt(Date.now());
    const signature = signAsAccount(pair, signedQueryMessage(target, account, issuedAt, query));
    const { envelope, replyKey } = await sealEnvelope('query', enclave.contractPub, queryAad(GENESIS, CONTRACT),
      encodeQueryRequest({ kind: 'Signed', account, issuedAt, query, signature }));
    const r = decodeQueryResponse(openReply(replyKey, await enclave.handleQuery(envelope, Date.now())));
    if (r.kind !== 'History') throw new Error(`expected history, got ${r.kind}`);
    return r;
  };
  const { total } = await ask({ kind: 'History', from: 0, limit: 0 });
  const page = await ask({ kind: 'History', from: Math.max(0, total - 100), limit: 100 });
  return { total, failed: page.entries.filter((e) => !e.outcome.ok).length };
}

interface BoundInput {
  ephPub: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array;
  sealed: Uint8Array;
  key: Uint8Array;
  aad: Uint8Array;
}

async function main(): Promise<void> {
  const { secret, contractSecret } = withKnownContractSecret();
  const heapBefore = heapUsed();
  const enclave = await Enclave.create(secret, {
    genesisHash: GENESIS, contractId: CONTRACT, native: { symbol: 'PHA', name: 'Secret PHA', decimals: 12 }, firstBlock: 1,
  });
  await cryptoWaitReady();
  // One real keyring account among the random ones: it sends the first command of every block.
  const witness = new Keyring({ type: 'sr25519' }).addFromUri('//Alice');
  const people: AccountId[] = Array.from({ length: ACCOUNTS }, (_, i) => (i === 0 ? accountId(witness.publicKey) : accountId(randomBytes(32))));
  let block = 1;
  for (let i = 0; i < ACCOUNTS; i += 10_000) {
    const items: BlockItem[] = people.slice(i, i + 10_000).map((who, index) => ({ kind: 'deposit', index, contractId: CONTRACT, who, amount: 10n ** 15n as Amount }));
    await enclave.processBlock(block, hashOf(block), items);
    block++;
  }
  const heapPerAccount = (heapUsed() - heapBefore) / ACCOUNTS;

  // Clients' work, not measured: seal transfers between random funded accounts.
  const contractPub = enclave.contractPub;
  const contractKey = await contractKeyFromSecret(contractSecret);
  const blocks: BlockItem[][] = [];
  const bound: BoundInput[][] = [];
  for (let b = 0; b < PREPARED_BLOCKS; b++) {
    const senders = Array.from({ length: BLOCK }, (_, i) => people[i === 0 ? 0 : Math.floor(Math.random() * ACCOUNTS)]);
    const payloads = await Promise.all(senders.map((signer) => sealCommand(contractPub, { genesisHash: GENESIS, contractId: CONTRACT, signer }, {
      kind: 'Transfer', asset: 0 as AssetId, dest: people[Math.floor(Math.random() * ACCOUNTS)], amount: 1n as Amount,
    })));
    blocks.push(payloads.map((payload, index) => ({ kind: 'command', index, sender: senders[index], contractId: CONTRACT, payload })));
    bound.push(await Promise.all(payloads.map(async (p, i) => {
      const ephPub = p.slice(1, 33);
      return {
        ephPub, nonce: p.slice(33, 57), sealed: p.slice(57),
        key: deriveKey('command', await contractKey.agree(ephPub), contractPub, ephPub),
        aad: commandAad({ genesisHash: GENESIS, contractId: CONTRACT, signer: senders[i] }),
      };
    })));
  }

  // The bound's private key, imported once like the enclave's.
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20, ...contractSecret]);
  const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  const openOne = async (x: BoundInput) => {
    const pub = await subtle.importKey('raw', x.ephPub, { name: 'X25519' }, false, []);
    await subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256);
    return xchacha20poly1305(x.key, x.nonce, x.aad).decrypt(x.sealed);
  };

  let nextBound = 0;
  const boundBlock = () => Promise.all(bound[nextBound++ % PREPARED_BLOCKS].map(openOne));
  let nextBlock = 0;
  let applied = 0;
  const ingestBlock = async () => {
    const r = await enclave.processBlock(block, hashOf(block), blocks[nextBlock++ % PREPARED_BLOCKS]);
    block++;
    if (r.applied) applied += BLOCK;
  };

  // The machine is shared: bound and enclave alternate block by block so background load falls on
  // both alike, and each side's rate comes from the time spent in it alone.
  const spent = { bound: 0, ingest: 0, blocks: 0 };
  const timed = async (fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    return performance.now() - t;
  };
  const pair = async () => {
    spent.bound += await timed(boundBlock);
    spent.ingest += await timed(ingestBlock);
    spent.blocks++;
  };
  for (let i = 0; i < 4; i++) await pair(); // JIT warm-up
  Object.assign(spent, { bound: 0, ingest: 0, blocks: 0 });
  const pairsPerSecond = await opsPerSecond(pair, 8000);
  const rate = (ms: number) => (spent.blocks * BLOCK * 1000) / ms;

  const witnessed = await lastFailures(enclave, witness);
  if (witnessed.total < 10 || witnessed.failed > 0) throw new Error('The measured commands did not apply.');
  // What a host pays per block if it hashes or seals the whole 100k-account state (both encode the ledger).
  const timeOf = <T>(fn: () => T): [T, number] => {
    const t = performance.now();
    const r = fn();
    return [r, Math.round(performance.now() - t)];
  };
  const [, rootMs] = timeOf(() => enclave.stateRoot());
  const [sealed, sealMs] = timeOf(() => enclave.seal());
  report({
    name: 'ingest',
    value: rate(spent.ingest),
    unit: 'secret transfers opened + applied / s',
    bound: rate(spent.bound),
    goal: GOAL,
    accounts: ACCOUNTS,
    blockSize: BLOCK,
    heapBytesPerAccount: Math.round(heapPerAccount),
    stateRootMs: rootMs,
    sealMs,
    sealedBytes: sealed.length,
    commandsApplied: applied,
    witnessHistory: witnessed.total,
    measuredBlocks: spent.blocks,
    pairsPerSecond: Math.round(pairsPerSecond * 100) / 100,
  });
}

await main();
