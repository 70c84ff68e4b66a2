/**
 * The bound of the enclave's ingest path, shared by the `ingest` and `catchup` benchmarks: per
 * command one WebCrypto X25519 agreement (importKey raw + deriveBits, as openCommand does) and one
 * 256-byte XChaCha20-Poly1305 open — the crypto no enclave can skip — plus what verifying a block
 * cannot skip: the blake2 hashes of its header, body root and proof nodes and one ed25519 verify.
 * Also what both benchmarks share around it: the transfer blocks they feed (sealed ahead, with what
 * the bound needs to open them), the check that the measured commands applied, and sealing amortized
 * as the worker does it.
 */
import { xchacha20poly1305 } from '@noble/ciphers/chacha.js';
import { ed25519 } from '@noble/curves/ed25519.js';
import { blake2b } from '@noble/hashes/blake2.js';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { Enclave } from '../../contract/enclave';
import { nextSealAfterMs } from '../../contract/host/seal-policy';
import { signAsAccount } from '../../shared/crypto/account-signature';
import { commandAad, contractKeyFromSecret, deriveKey, openReply, queryAad, sealCommand, sealEnvelope } from '../../shared/crypto/envelope';
import { decodeQueryResponse, encodeQueryRequest, signedQueryMessage, type Query } from '../../shared/protocol/query';
import { orderedTrieRoot } from '../../shared/trie';
import { accountId, type AccountId, type Amount, type AssetId, type ContractId } from '../../shared/types';
import { TEST_GENESIS, VOTER_SEED, type TestBlock, type TestChain } from '../helpers/test-chain';

const GENESIS = TEST_GENESIS.hash;
const subtle = globalThis.crypto.subtle;

/** What the bound needs per envelope, derived ahead: the ephemeral key, and the AEAD key and AAD to open with. */
interface BoundInput {
  ephPub: Uint8Array<ArrayBuffer>;
  nonce: Uint8Array;
  sealed: Uint8Array;
  key: Uint8Array;
  aad: Uint8Array;
}

export interface TransferBlock {
  block: TestBlock;
  bound: BoundInput[];
}

/** Clients' and the chain's work (not measured): transfers of 1 unit from `senders[i]` to `dests[i]`, sealed into the next block of `chain`. */
export async function transferBlock(
  chain: TestChain, contract: { id: ContractId; pub: Uint8Array; secret: Uint8Array }, senders: readonly AccountId[], dests: readonly AccountId[],
): Promise<TransferBlock> {
  const payloads = await Promise.all(senders.map((signer, i) => sealCommand(contract.pub, { genesisHash: GENESIS, contractId: contract.id, signer }, {
    kind: 'Transfer', asset: 0 as AssetId, dest: dests[i], amount: 1n as Amount,
  })));
  const block = chain.block(payloads.map((payload, i) => ({ kind: 'command', sender: senders[i], contractId: contract.id, payload })));
  const contractKey = await contractKeyFromSecret(contract.secret);
  const bound = await Promise.all(payloads.map(async (p, i) => {
    const ephPub = p.slice(1, 33);
    return {
      ephPub, nonce: p.slice(33, 57), sealed: p.slice(57),
      key: deriveKey('command', await contractKey.agree(ephPub), contract.pub, ephPub),
      aad: commandAad({ genesisHash: GENESIS, contractId: contract.id, signer: senders[i] }),
    };
  }));
  return { block, bound };
}

/** The bound's work for one block, with the contract's private key imported once like the enclave's. */
export async function ingestBound(contractSecret: Uint8Array): Promise<(b: TransferBlock) => Promise<void>> {
  const pkcs8 = new Uint8Array([0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20, ...contractSecret]);
  const privateKey = await subtle.importKey('pkcs8', pkcs8, { name: 'X25519' }, false, ['deriveBits']);
  const openOne = async (x: BoundInput) => {
    const pub = await subtle.importKey('raw', x.ephPub, { name: 'X25519' }, false, []);
    await subtle.deriveBits({ name: 'X25519', public: pub }, privateKey, 256);
    return xchacha20poly1305(x.key, x.nonce, x.aad).decrypt(x.sealed);
  };
  const voter = ed25519.getPublicKey(VOTER_SEED);
  const precommit = new Uint8Array(53);
  const precommitSignature = ed25519.sign(precommit, VOTER_SEED);
  return async ({ block, bound }) => {
    blake2b(block.header, { dkLen: 32 });
    orderedTrieRoot(block.extrinsics);
    for (const node of block.proof) blake2b(node, { dkLen: 32 });
    ed25519.verify(precommitSignature, precommit, voter);
    await Promise.all(bound.map(openOne)); // batched per block, as the enclave opens a block's commands
  };
}

/** Runs `fn` and returns the milliseconds it took. */
export async function timed(fn: () => unknown): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** The witness's last history page, through a real signed query: did the measured commands really apply? */
export async function lastFailures(enclave: Enclave, contractId: ContractId, pair: KeyringPair): Promise<{ total: number; failed: number }> {
  const account = accountId(pair.publicKey);
  const target = { genesisHash: GENESIS, contractId, contractPub: enclave.contractPub };
  const ask = async (query: Query) => {
    const issuedAt = BigInt(Date.now());
    const signature = signAsAccount(pair, signedQueryMessage(target, account, issuedAt, query));
    const { envelope, replyKey } = await sealEnvelope('query', enclave.contractPub, queryAad(GENESIS, contractId),
      encodeQueryRequest({ kind: 'Signed', account, issuedAt, query, signature }));
    const r = decodeQueryResponse(openReply(replyKey, await enclave.handleQuery(envelope, Date.now())));
    if (r.kind !== 'History') throw new Error(`expected history, got ${r.kind}`);
    return r;
  };
  const { total } = await ask({ kind: 'History', from: 0, limit: 0 });
  const page = await ask({ kind: 'History', from: Math.max(0, total - 100), limit: 100 });
  return { total, failed: page.entries.filter((e) => !e.outcome.ok).length };
}

/** The worker's default minimum seal interval (contract/host/worker.ts). */
const SEAL_INTERVAL_MS = 1000;

/** `ingestMs` of ingesting with sealing added as the worker does it (seal-policy.ts): one `sealMs` seal per `nextSealAfterMs`. */
export function withSealing(ingestMs: number, sealMs: number, catchingUp = false): number {
  return ingestMs * (1 + sealMs / nextSealAfterMs(SEAL_INTERVAL_MS, sealMs, catchingUp));
}
