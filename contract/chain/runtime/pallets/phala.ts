/**
 * PhalaModule (DESIGN.md §4): opaque command relay, public ⇄ secret conversion through a custody
 * account, and the registry of attested workers. The pallet never looks inside a command payload,
 * so a failed secret command can never fail on chain.
 *
 * Anything that would make a call useless (wrong payload size, forged or reused receipt, bad
 * attestation) is checked in `validate`, so it is refused at submission (1010) and never included.
 */
import { blake2AsU8a } from '@polkadot/util-crypto';
import { COMMAND_ENVELOPE_SIZE, MAX_COMMAND_BATCH, MAX_RECEIPT_BATCH } from '../../../../shared/constants';
import { verifyDevAttestation } from '../../../../shared/crypto/attestation';
import { verifyIdentitySignature } from '../../../../shared/crypto/identity';
import { decodeAttestation, type AttestationReport } from '../../../../shared/protocol/attestation';
import { custodyAccount } from '../../../../shared/protocol/custody';
import { receiptMessage, type WithdrawReceipt } from '../../../../shared/protocol/ledger';
import type { PalletPhalaCall, PalletPhalaWithdrawReceipt } from '../../../../shared/protocol/phala-augment';
import { accountIdFromBytes, amount, contractId, hash32, U32_MAX, type ContractId } from '../../../../shared/types';
import { EXISTENTIAL_DEPOSIT } from '../../config';
import { ensureRoot, ensureSigned, type CallArgsOf, type CallContext, type CallTable, type ValidateContext } from '../dispatch';
import { submitCheckpoint } from './checkpoints';
import { acceptHardwareQuote, setTcbPolicy, verifyQuoteAtChainTime } from './attestation-policy';
import { handoverCalls, recordWorkerAttestation } from './handover';
import { phalaFail as fail } from './phala-errors';
import type { Storage } from '../storage';
import { mint, transfer } from './balances';
import { readAccount } from './system';
import { setWorkerEndpoint } from './worker-endpoint';

const S = 'phalaModule';
type Args = CallArgsOf<PalletPhalaCall>;


const receiptOf = (r: PalletPhalaWithdrawReceipt): WithdrawReceipt => ({
  contractId: contractId(r.contractId.toNumber()),
  seq: r.seq.toBigInt(),
  dest: accountIdFromBytes(r.dest.toU8a()),
  amount: amount(r.amount.toBigInt()),
});

/** A contract id exists only once governance created it (DESIGN.md §4). */
function ensureContract(st: Storage, id: number): ContractId {
  if (!st.has(S, 'contracts', id)) throw fail('UnknownContract');
  return contractId(id);
}

const isAllowed = (st: Storage, measurement: Uint8Array | string) => st.get(S, 'allowedMeasurements', measurement).isTrue;

/** A worker whose measurement was removed no longer signs anything the chain accepts. */
function signedByWorker(st: Storage, genesisHash: Uint8Array, r: WithdrawReceipt, signature: Uint8Array): void {
  const workers = st.get(S, 'contractWorkers', r.contractId);
  if (workers.length === 0) throw fail('UnknownWorker');
  const message = receiptMessage(genesisHash, r);
  const ok = workers.some((pub) => {
    const info = st.get(S, 'workers', pub)!;
    return isAllowed(st, info.measurement) && verifyIdentitySignature(signature, message, pub.toU8a());
  });
  if (!ok) throw fail('BadReceiptSignature');
}

/**
 * A receipt pays from its own contract's custody, which always keeps the existential deposit.
 * `alsoPaying`: what receipts before it in the same batch take from that custody first.
 */
function validateReceipt({ storage, env }: ValidateContext, { receipt, signature }: Args['transferToChain'], alsoPaying = 0n): void {
  const r = receiptOf(receipt);
  if (r.amount === 0n) throw fail('ZeroAmount');
  ensureContract(storage, r.contractId);
  if (storage.get(S, 'usedReceipts', r.contractId, r.seq).isTrue) throw fail('ReceiptAlreadyUsed');
  signedByWorker(storage, env.genesisHash, r, signature.toU8a());
  if (readAccount(storage, custodyAccount(r.contractId)).free < alsoPaying + r.amount + EXISTENTIAL_DEPOSIT) throw fail('CustodyInsufficient');
  if (readAccount(storage, r.dest).providers === 0 && r.amount < EXISTENTIAL_DEPOSIT) throw fail('BelowExistentialDeposit');
}

/** A batch: 1 to MAX_RECEIPT_BATCH receipts of one contract, each seq once, each valid with the ones before it paid. */
function validateBatch(ctx: ValidateContext, { receipts }: Args['transferToChainBatch']): void {
  if (receipts.length === 0 || receipts.length > MAX_RECEIPT_BATCH) throw fail('BadReceiptBatch');
  const contract = receipts[0].receipt.contractId.toNumber();
  const seqs = new Set<bigint>();
  let paying = 0n;
  for (const signed of receipts) {
    const r = receiptOf(signed.receipt);
    if (r.contractId !== contract || seqs.has(r.seq)) throw fail('BadReceiptBatch');
    seqs.add(r.seq);
    validateReceipt(ctx, signed, paying);
    paying += r.amount;
  }
}

function payReceipt({ storage, deposit }: CallContext, receipt: PalletPhalaWithdrawReceipt): void {
  const r = receiptOf(receipt);
  storage.put(S, 'usedReceipts', [r.contractId, r.seq], true);
  transfer(storage, deposit, custodyAccount(r.contractId), r.dest, r.amount, true);
  deposit('PhalaModule', 'TransferToChain', { dest: r.dest, amount: r.amount, seq: r.seq });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The attestation report, once it is known to be genuine, allowed, about these keys and an existing contract. */
function attestedReport({ storage, env }: ValidateContext, args: Args['registerWorker']): AttestationReport {
  let report: AttestationReport;
  try {
    report = decodeAttestation(args.attestation.toU8a(true));
  } catch {
    throw fail('BadAttestation');
  }
  if (report.provider === 'Dev') {
    const authority = storage.get(S, 'devAttestationAuthority');
    if (!authority || !verifyDevAttestation(report, env.genesisHash, authority.toU8a())) throw fail('BadAttestationSignature');
    if (!isAllowed(storage, report.measurement)) throw fail('MeasurementNotAllowed');
  } else {
    // Genuine first, then governance: allowed code, accepted TCB, and only then whose keys it binds.
    const verified = verifyQuoteAtChainTime(storage, report);
    if (!isAllowed(storage, report.measurement)) throw fail('MeasurementNotAllowed');
    acceptHardwareQuote(storage, env.genesisHash, report, verified);
  }
  ensureContract(storage, report.contractId);
  const identityPub = args.identityPub.toU8a();
  const ecdhPub = args.ecdhPub.toU8a();
  if (!sameBytes(identityPub, report.identityPub) || !sameBytes(ecdhPub, report.ecdhPub)) throw fail('KeyMismatch');
  const existing = storage.get(S, 'workers', identityPub);
  if (existing && existing.contractId.toNumber() !== report.contractId) throw fail('WorkerOfOtherContract');
  const key = storage.get(S, 'contractKeys', report.contractId);
  if (key && !sameBytes(key.ecdhPub.toU8a(), ecdhPub)) throw fail('ContractKeyMismatch');
  return report;
}

/**
 * The next contract id and its custody account. The custody is endowed with the existential deposit
 * (newly issued, as root's `forceSetBalance` would) and receipts never take it below that, so it is
 * never reaped and a first deposit of any size can land. That deposit is credited to nobody: custody
 * always holds the existential deposit plus the contract's secret native supply.
 */
export function createContract(st: Storage, deposit: CallContext['deposit']): ContractId {
  const count = st.get(S, 'contractCount').toNumber();
  if (count >= U32_MAX) throw fail('ContractIdsExhausted');
  const id = contractId(count + 1);
  const custody = custodyAccount(id);
  st.put(S, 'contractCount', [], id);
  st.put(S, 'contracts', [id], { custody });
  mint(st, deposit, custody, EXISTENTIAL_DEPOSIT);
  deposit('PhalaModule', 'ContractCreated', { contractId: id, custody });
  return id;
}

const RECEIPT_WEIGHT = 300_000_000n;

/** Only the hash is published: the ciphertext lives in the block body and nowhere else. */
function pushed(deposit: CallContext['deposit'], id: unknown, sender: unknown, payload: Uint8Array): void {
  deposit('PhalaModule', 'CommandPushed', { contractId: id, sender, payloadHash: hash32(blake2AsU8a(payload, 256)) });
}

export const phalaCalls: CallTable<PalletPhalaCall> = {
  pushCommand: {
    weight: 100_000_000n,
    validate: ({ storage }, { contractId: id, payload }) => {
      if (payload.length !== COMMAND_ENVELOPE_SIZE) throw fail('PayloadWrongSize');
      ensureContract(storage, id.toNumber());
    },
    dispatch: ({ origin, deposit }, { contractId: id, payload }) => {
      pushed(deposit, id, ensureSigned(origin), payload.toU8a(true));
    },
  },

  transferToTee: {
    weight: 200_000_000n,
    validate: ({ storage }, { contractId: id, amount: value }) => {
      if (value.isZero()) throw fail('ZeroAmount');
      ensureContract(storage, id.toNumber());
    },
    dispatch: ({ storage, origin, deposit }, { contractId: id, amount: value }) => {
      const who = ensureSigned(origin);
      const contract = ensureContract(storage, id.toNumber());
      transfer(storage, deposit, who, custodyAccount(contract), value.toBigInt(), true);
      deposit('PhalaModule', 'TransferToTee', { contractId: contract, who, amount: value });
    },
  },

  transferToChain: {
    weight: RECEIPT_WEIGHT,
    unsigned: true,
    validate: (ctx, args) => validateReceipt(ctx, args),
    dispatch: (ctx, { receipt }) => payReceipt(ctx, receipt),
  },

  // The worker's cadence batch (DESIGN.md §12): one extrinsic, so the batch is one block's and one only.
  transferToChainBatch: {
    weight: 0n,
    extraWeight: ({ receipts }) => RECEIPT_WEIGHT * BigInt(receipts.length),
    unsigned: true,
    validate: validateBatch,
    dispatch: (ctx, { receipts }) => receipts.forEach((signed) => payReceipt(ctx, signed.receipt)),
  },

  registerWorker: {
    weight: 500_000_000n,
    validate: attestedReport,
    dispatch: (ctx, args) => {
      ensureSigned(ctx.origin);
      const report = attestedReport(ctx, args);
      const { storage } = ctx;
      const id = report.contractId;
      storage.put(S, 'workers', [report.identityPub], { contractId: id, ecdhPub: report.ecdhPub, measurement: report.measurement });
      recordWorkerAttestation(storage, report.identityPub, args.attestation);
      if (!storage.has(S, 'contractKeys', id)) {
        storage.put(S, 'contractKeys', [id], { ecdhPub: report.ecdhPub, identityPub: report.identityPub, measurement: report.measurement });
        storage.put(S, 'contractAttestation', [id], args.attestation);
      }
      const workers = storage.get(S, 'contractWorkers', id).map((w) => w.toU8a());
      if (!workers.some((w) => sameBytes(w, report.identityPub))) storage.put(S, 'contractWorkers', [id], [...workers, report.identityPub]);
      ctx.deposit('PhalaModule', 'WorkerRegistered', { contractId: id, identityPub: report.identityPub, measurement: report.measurement });
    },
  },

  createContract: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, deposit }) => {
      ensureRoot(origin);
      createContract(storage, deposit);
    },
  },

  addMeasurement: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, deposit }, { hash_: hash }) => {
      ensureRoot(origin);
      storage.put(S, 'allowedMeasurements', [hash], true);
      deposit('PhalaModule', 'MeasurementAdded', { hash });
    },
  },

  removeMeasurement: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, deposit }, { hash_: hash }) => {
      ensureRoot(origin);
      storage.remove(S, 'allowedMeasurements', hash);
      deposit('PhalaModule', 'MeasurementRemoved', { hash });
    },
  },

  setTcbPolicy,

  /** A relayer's batch: every envelope the one size, so relayed commands, direct ones and dummies look alike. */
  pushCommands: {
    weight: 100_000_000n * BigInt(MAX_COMMAND_BATCH),
    validate: ({ storage }, { contractId: id, payloads }) => {
      if (payloads.length === 0 || payloads.length > MAX_COMMAND_BATCH) throw fail('BatchWrongSize');
      if (payloads.some((p) => p.length !== COMMAND_ENVELOPE_SIZE)) throw fail('PayloadWrongSize');
      ensureContract(storage, id.toNumber());
    },
    dispatch: ({ origin, deposit }, { contractId: id, payloads }) => {
      const sender = ensureSigned(origin);
      for (const p of payloads) pushed(deposit, id, sender, p.toU8a(true));
    },
  },

  ...handoverCalls,
  submitCheckpoint,
  setWorkerEndpoint,
};

/** Genesis: the per-chain dev attestation authority, the dev enclave measurement and contract 1 (what `npm start` serves). */
export function phalaGenesis(st: Storage, authorityPub: Uint8Array, measurements: string[]): void {
  st.put(S, 'devAttestationAuthority', [], authorityPub);
  for (const m of measurements) st.put(S, 'allowedMeasurements', [m], true);
  createContract(st, () => undefined); // genesis has no block to carry events
}
