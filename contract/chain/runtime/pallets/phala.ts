/**
 * PhalaModule (DESIGN.md §4): opaque command relay, public ⇄ secret conversion through a custody
 * account, and the registry of attested workers. The pallet never looks inside a command payload,
 * so a failed secret command can never fail on chain.
 *
 * Anything that would make a call useless (wrong payload size, forged or reused receipt, bad
 * attestation) is checked in `validate`, so it is refused at submission (1010) and never included.
 */
import type { Bytes, Struct, U8aFixed, u32, u64, u128, Vec, bool } from '@polkadot/types';
import type { AccountId32, H256 } from '@polkadot/types/interfaces';
import { blake2AsU8a } from '@polkadot/util-crypto';
import { COMMAND_ENVELOPE_SIZE } from '../../../../shared/constants';
import { verifyDevAttestation } from '../../../../shared/crypto/attestation';
import { verifyIdentitySignature } from '../../../../shared/crypto/identity';
import { decodeAttestation, type AttestationReport } from '../../../../shared/protocol/attestation';
import { receiptMessage, type WithdrawReceipt } from '../../../../shared/protocol/ledger';
import { accountIdFromBytes, amount, contractId, hash32 } from '../../../../shared/types';
import { CUSTODY_ACCOUNT, EXISTENTIAL_DEPOSIT } from '../../config';
import { acceptHardwareQuote, setTcbPolicy, verifyQuoteAtChainTime } from './attestation-policy';
import { ensureRoot, ensureSigned, type Args, type CallHandler, type ValidateContext } from '../dispatch';
import { palletError } from '../errors';
import type { Storage } from '../storage';
import type { PhalaError } from '../../metadata/phala';
import { transfer } from './balances';
import { readAccount } from './system';

const S = 'phalaModule';
export const CUSTODY = accountIdFromBytes(CUSTODY_ACCOUNT);

const fail = (name: PhalaError) => palletError('PhalaModule', name);

interface ReceiptCodec extends Struct {
  contractId: u32;
  seq: u64;
  dest: AccountId32;
  amount: u128;
}

interface ContractKeyCodec extends Struct {
  ecdhPub: U8aFixed;
}

interface WorkerInfoCodec extends Struct {
  contractId: u32;
  measurement: H256;
}

const receiptOf = ({ receipt }: Args): WithdrawReceipt => {
  const r = receipt as ReceiptCodec;
  return {
    contractId: contractId(r.contractId.toNumber()),
    seq: r.seq.toBigInt(),
    dest: accountIdFromBytes(r.dest.toU8a()),
    amount: amount(r.amount.toBigInt()),
  };
};

const isAllowed = (st: Storage, measurement: Uint8Array | string) => st.get<bool>(S, 'allowedMeasurements', measurement)!.isTrue;

/** A worker whose measurement was removed no longer signs anything the chain accepts. */
function signedByWorker(st: Storage, genesisHash: Uint8Array, r: WithdrawReceipt, signature: Uint8Array): void {
  const workers = st.get<Vec<U8aFixed>>(S, 'contractWorkers', r.contractId)!;
  if (workers.length === 0) throw fail('UnknownWorker');
  const message = receiptMessage(genesisHash, r);
  const ok = workers.some((pub) => {
    const info = st.get<WorkerInfoCodec>(S, 'workers', pub)!;
    return isAllowed(st, info.measurement) && verifyIdentitySignature(signature, message, pub.toU8a());
  });
  if (!ok) throw fail('BadReceiptSignature');
}

function validateReceipt({ storage, env }: ValidateContext, args: Args): void {
  const r = receiptOf(args);
  if (r.amount === 0n) throw fail('ZeroAmount');
  if (storage.get<bool>(S, 'usedReceipts', r.contractId, r.seq)!.isTrue) throw fail('ReceiptAlreadyUsed');
  signedByWorker(storage, env.genesisHash, r, (args.signature as U8aFixed).toU8a());
  if (readAccount(storage, CUSTODY).free < r.amount + EXISTENTIAL_DEPOSIT) throw fail('CustodyInsufficient');
  if (readAccount(storage, r.dest).providers === 0 && r.amount < EXISTENTIAL_DEPOSIT) throw fail('BelowExistentialDeposit');
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The attestation report, once it is known to be genuine, allowed and about these keys. */
function attestedReport({ storage, env }: ValidateContext, args: Args): AttestationReport {
  let report: AttestationReport;
  try {
    report = decodeAttestation((args.attestation as Bytes).toU8a(true));
  } catch {
    throw fail('BadAttestation');
  }
  if (report.provider === 'Dev') {
    const authority = storage.get<U8aFixed>(S, 'devAttestationAuthority');
    if (!authority || !verifyDevAttestation(report, env.genesisHash, authority.toU8a())) throw fail('BadAttestationSignature');
    if (!isAllowed(storage, report.measurement)) throw fail('MeasurementNotAllowed');
  } else {
    // Genuine first, then governance: allowed code, accepted TCB, and only then whose keys it binds.
    const verified = verifyQuoteAtChainTime(storage, report);
    if (!isAllowed(storage, report.measurement)) throw fail('MeasurementNotAllowed');
    acceptHardwareQuote(storage, env.genesisHash, report, verified);
  }
  const identityPub = (args.identityPub as U8aFixed).toU8a();
  const ecdhPub = (args.ecdhPub as U8aFixed).toU8a();
  if (!sameBytes(identityPub, report.identityPub) || !sameBytes(ecdhPub, report.ecdhPub)) throw fail('KeyMismatch');
  const existing = storage.get<WorkerInfoCodec>(S, 'workers', identityPub);
  if (existing && existing.contractId.toNumber() !== report.contractId) throw fail('WorkerOfOtherContract');
  const key = storage.get<ContractKeyCodec>(S, 'contractKeys', report.contractId);
  if (key && !sameBytes(key.ecdhPub.toU8a(), ecdhPub)) throw fail('ContractKeyMismatch');
  return report;
}

export const phalaCalls: Record<string, CallHandler> = {
  pushCommand: {
    weight: 100_000_000n,
    validate: (_ctx, { payload }) => {
      if ((payload as Bytes).length !== COMMAND_ENVELOPE_SIZE) throw fail('PayloadWrongSize');
    },
    dispatch: ({ origin, deposit }, { contractId: id, payload }) => {
      const sender = ensureSigned(origin);
      // Only the hash is published: the ciphertext lives in the block body and nowhere else.
      const payloadHash = hash32(blake2AsU8a((payload as Bytes).toU8a(true), 256));
      deposit('PhalaModule', 'CommandPushed', { contractId: id, sender, payloadHash });
    },
  },

  transferToTee: {
    weight: 200_000_000n,
    validate: (_ctx, args) => {
      if ((args.amount as u128).isZero()) throw fail('ZeroAmount');
    },
    dispatch: ({ storage, origin, deposit }, args) => {
      const who = ensureSigned(origin);
      const value = (args.amount as u128).toBigInt();
      transfer(storage, deposit, who, CUSTODY, value, true);
      deposit('PhalaModule', 'TransferToTee', { who, amount: value });
    },
  },

  transferToChain: {
    weight: 300_000_000n,
    unsigned: true,
    validate: validateReceipt,
    dispatch: ({ storage, deposit }, args) => {
      const r = receiptOf(args);
      storage.put(S, 'usedReceipts', [r.contractId, r.seq], true);
      transfer(storage, deposit, CUSTODY, r.dest, r.amount, true);
      deposit('PhalaModule', 'TransferToChain', { dest: r.dest, amount: r.amount, seq: r.seq });
    },
  },

  registerWorker: {
    weight: 500_000_000n,
    validate: (ctx, args) => void attestedReport(ctx, args),
    dispatch: (ctx, args) => {
      ensureSigned(ctx.origin);
      const report = attestedReport(ctx, args);
      const { storage } = ctx;
      const id = report.contractId;
      storage.put(S, 'workers', [report.identityPub], { contractId: id, ecdhPub: report.ecdhPub, measurement: report.measurement });
      if (!storage.has(S, 'contractKeys', id)) {
        storage.put(S, 'contractKeys', [id], { ecdhPub: report.ecdhPub, identityPub: report.identityPub, measurement: report.measurement });
        storage.put(S, 'contractAttestation', [id], args.attestation);
      }
      const workers = storage.get<Vec<U8aFixed>>(S, 'contractWorkers', id)!.map((w) => w.toU8a());
      if (!workers.some((w) => sameBytes(w, report.identityPub))) storage.put(S, 'contractWorkers', [id], [...workers, report.identityPub]);
      ctx.deposit('PhalaModule', 'WorkerRegistered', { contractId: id, identityPub: report.identityPub, measurement: report.measurement });
    },
  },

  addMeasurement: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, deposit }, { hash }) => {
      ensureRoot(origin);
      storage.put(S, 'allowedMeasurements', [hash], true);
      deposit('PhalaModule', 'MeasurementAdded', { hash });
    },
  },

  removeMeasurement: {
    weight: 50_000_000n,
    dispatch: ({ storage, origin, deposit }, { hash }) => {
      ensureRoot(origin);
      storage.remove(S, 'allowedMeasurements', hash);
      deposit('PhalaModule', 'MeasurementRemoved', { hash });
    },
  },

  setTcbPolicy,
};

/** Genesis: the per-chain dev attestation authority and the dev enclave measurement. */
export function phalaGenesis(st: Storage, authorityPub: Uint8Array, measurements: string[]): void {
  st.put(S, 'devAttestationAuthority', [], authorityPub);
  for (const m of measurements) st.put(S, 'allowedMeasurements', [m], true);
}
