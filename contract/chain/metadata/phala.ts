/**
 * Metadata of the `PhalaModule` pallet (DESIGN.md §4), declared into the lookup of the base
 * metadata. Field and item names here are the names every client sees (camelCased by polkadot-js);
 * shared/protocol/phala-augment.ts describes the same shapes to TypeScript. New calls, events and
 * errors go at the end: their indices are on the wire.
 */
import { DEFAULT_TCB_POLICY } from '../../../shared/crypto/attestation';
import { TCB_STATUSES } from '../../../shared/dcap';
import type { PalletJson, StorageEntryJson, TypeTable } from './portable';

const PHALA_PALLET_INDEX = 100;

export interface PhalaConstants {
  /** SCALE of the `PalletId` ([u8; 8]) custody accounts derive from. */
  palletId: string;
  /** SCALE u32 of COMMAND_ENVELOPE_SIZE. */
  commandEnvelopeSize: string;
  /** SCALE u32 of MAX_COMMAND_BATCH. */
  maxCommandBatch: string;
}

/** Error variants, in wire order. Also the reasons shown when a call is refused at submission. */
export const PHALA_ERRORS = [
  ['PayloadWrongSize', 'The pushCommand payload is not exactly one 329-byte command envelope.'],
  ['ZeroAmount', 'The amount must be greater than zero.'],
  ['UnknownWorker', 'The contract has no registered worker.'],
  ['BadReceiptSignature', 'The receipt is not signed by a registered worker of its contract.'],
  ['ReceiptAlreadyUsed', 'This receipt sequence number was already paid.'],
  ['CustodyInsufficient', 'The custody account cannot cover this receipt.'],
  ['BelowExistentialDeposit', 'A receipt to an account that does not exist yet must pay at least the existential deposit.'],
  ['BadAttestation', 'The attestation report does not decode.'],
  ['BadAttestationSignature', 'The attestation is not signed by the dev attestation authority of this chain.'],
  ['MeasurementNotAllowed', 'The enclave measurement is not in AllowedMeasurements.'],
  ['KeyMismatch', 'The registered keys differ from the keys in the attestation report.'],
  ['ContractKeyMismatch', 'A worker of this contract must present the contract\'s existing ECDH key.'],
  ['WorkerOfOtherContract', 'This identity key is already registered for another contract.'],
  ['UnknownContract', 'No contract with this id exists; root creates contracts with createContract.'],
  ['ContractIdsExhausted', 'Every u32 contract id is taken.'],
  ['QuoteInvalid', 'The hardware quote does not verify at chain time: Intel root, CRLs, collateral validity, signatures, debug enclave, TCB level.'],
  ['TcbStatusNotAccepted', 'The quote verifies, but its TCB status is not in AcceptedTcbStatuses.'],
  ['CollateralTooOld', 'The quote verifies, but its collateral was issued longer ago than MaxCollateralAge.'],
  ['ReportDataMismatch', 'The quote\'s report data does not bind this chain, the contract and the registered keys.'],
  ['BadReceiptBatch', 'A receipt batch holds 1 to MaxReceiptBatch receipts of one contract, each seq once.'],
  ['BatchWrongSize', 'A pushCommands batch holds 1 to MaxCommandBatch envelopes.'],
  ['HandoverWrongSize', 'A handover holds exactly one sealed contract seed (104 bytes).'],
  ['HandoverRecipientUnknown', 'The handover recipient is not a registered worker of this contract.'],
  ['HandoverRecipientNoKey', 'The recipient\'s attestation names no handover key.'],
  ['HandoverAlreadyDone', 'This worker already received the contract keys; the first valid handover is kept.'],
  ['NotAKeyholder', 'The sender is not a registered, allowed worker holding this contract\'s keys.'],
  ['BadHandoverSignature', 'The handover is not signed by its sender\'s identity key.'],
  ['NotContractWorker', 'The checkpoint\'s worker is not a registered worker of the checkpoint\'s contract.'],
  ['BadCheckpointSignature', 'The checkpoint is not signed by the identity key it names.'],
  ['CheckpointAlreadySubmitted', 'This worker already submitted its checkpoint of this block.'],
  ['CheckpointOfFutureBlock', 'A checkpoint names a block (from 1) this chain already has.'],
  ['BadWorkerEndpoint', 'A worker endpoint is an http(s) URL of at most 200 printable ASCII characters, with a host and no credentials, query or fragment.'],
  ['BadEndpointSignature', 'The endpoint is not signed by the identity key it is set for.'],
  ['WorkerNotRegistered', 'No worker with this identity key is registered.'],
] as const;

export type PhalaError = (typeof PHALA_ERRORS)[number][0];

const hexBytes = (bytes: number[]) => `0x${bytes.map((b) => b.toString(16).padStart(2, '0')).join('')}`;

/** Storage defaults (SCALE): the TCB policy in force until root sets one. */
const DEFAULT_POLICY_SCALE = {
  // Vec<TcbStatus>: compact length (single byte below 64), then each variant's index.
  acceptedTcbStatuses: hexBytes([DEFAULT_TCB_POLICY.acceptedStatuses.length << 2, ...DEFAULT_TCB_POLICY.acceptedStatuses.map((s) => TCB_STATUSES.indexOf(s))]),
  maxCollateralAge: hexBytes(Array.from({ length: 8 }, (_, i) => Math.floor(DEFAULT_TCB_POLICY.maxCollateralAgeMs / 2 ** (8 * i)) & 0xff)), // u64 LE
};

export function phalaPallet(t: TypeTable, constants: PhalaConstants): PalletJson {
  const u32 = t.primitive('U32');
  const u64 = t.primitive('U64');
  const u128 = t.primitive('U128');
  const bool = t.primitive('Bool');
  const u8 = t.primitive('U8');
  const bytes = t.def({ sequence: { type: u8 } });
  const bytes32 = t.def({ array: { len: 32, type: u8 } });
  const bytes64 = t.def({ array: { len: 64, type: u8 } });
  const account = t.byPath('sp_core::crypto::AccountId32');
  const h256 = t.byPath('primitive_types::H256');

  const receipt = t.struct('pallet_phala::types::WithdrawReceipt', [
    ['contract_id', u32], ['seq', u64], ['dest', account], ['amount', u128],
  ]);
  const workerInfo = t.struct('pallet_phala::types::WorkerInfo', [
    ['contract_id', u32], ['ecdh_pub', bytes32], ['measurement', h256],
  ]);
  const contractKey = t.struct('pallet_phala::types::ContractKey', [
    ['ecdh_pub', bytes32], ['identity_pub', bytes32], ['measurement', h256],
  ]);
  const contractInfo = t.struct('pallet_phala::types::ContractInfo', [['custody', account]]);
  const signedReceipts = t.def({ sequence: { type: t.struct('pallet_phala::types::SignedWithdrawReceipt', [['receipt', receipt], ['signature', bytes64]]) } });
  const palletId = t.def({ array: { len: 8, type: u8 } });
  const checkpoint = t.struct('pallet_phala::types::Checkpoint', [
    ['contract_id', u32], ['block_number', u32], ['block_hash', h256], ['state_root', h256], ['worker', bytes32],
  ]);
  const checkpointVote = t.struct('pallet_phala::types::CheckpointVote', [['worker', bytes32], ['block_hash', h256], ['state_root', h256]]);
  const workerEndpoint = t.struct('pallet_phala::types::WorkerEndpoint', [['url', bytes], ['signature', bytes64]]);

  const tcbStatuses = t.def({ sequence: { type: t.enumOf('pallet_phala::types::TcbStatus', TCB_STATUSES.map((n) => [n, []])) } });

  const calls = t.enumOf('pallet_phala::pallet::Call', [
    ['push_command', [['contract_id', u32], ['payload', bytes]], 'Push an encrypted command envelope to a contract. The chain never looks inside.'],
    ['transfer_to_tee', [['contract_id', u32], ['amount', u128]], 'Move public balance into the contract\'s custody account; that contract credits it as secret balance.'],
    ['transfer_to_chain', [['receipt', receipt], ['signature', bytes64]], 'Pay a withdraw receipt signed by a registered worker (any unused seq pays once). Anyone may relay it.'],
    ['register_worker', [['identity_pub', bytes32], ['ecdh_pub', bytes32], ['attestation', bytes]], 'Register an attested enclave worker for the (existing) contract named in its report.'],
    ['add_measurement', [['hash', h256]], 'Root: allow an enclave code measurement.'],
    ['remove_measurement', [['hash', h256]], 'Root: disallow an enclave code measurement.'],
    ['create_contract', [], 'Root: create the next contract id and its custody account (endowed with the existential deposit).'],
    ['set_tcb_policy', [['accepted_statuses', tcbStatuses], ['max_collateral_age_ms', u64]], 'Root: the TCB statuses and the collateral age (ms) accepted from hardware quotes.'],
    ['transfer_to_chain_batch', [['receipts', signedReceipts]], 'Pay several withdraw receipts of one contract in one extrinsic (all or none), each as transfer_to_chain would. Anyone may relay it.'],
    ['push_commands', [['contract_id', u32], ['payloads', t.def({ sequence: { type: bytes } })]], 'Push a batch of command envelopes (a relayer\'s fixed-size batch: relayed commands and dummies). Each is exactly one envelope; the chain never looks inside.'],
    ['handover_key', [['contract_id', u32], ['recipient', bytes32], ['sender', bytes32], ['sealed_keys', bytes], ['signature', bytes64]], 'A keyholder worker hands the contract keys, sealed to the recipient worker\'s attested handover key, to that registered worker (the first valid one per recipient is kept). Unsigned: the sender\'s identity signature authenticates it.'],
    ['submit_checkpoint', [['checkpoint', checkpoint], ['signature', bytes64]], 'Record a worker\'s signed checkpoint (block hash and ledger state root at a block), one per worker and block; raises CheckpointMismatch when the contract\'s workers disagree. Anyone may relay it.'],
    ['set_worker_endpoint', [['identity_pub', bytes32], ['endpoint', bytes], ['signature', bytes64]], 'Publish where a registered worker answers queries (an http(s) URL), signed by that worker\'s identity key. Anyone may submit it.'],
  ]);
  const events = t.enumOf('pallet_phala::pallet::Event', [
    ['CommandPushed', [['contract_id', u32], ['sender', account], ['payload_hash', h256]]],
    ['TransferToTee', [['contract_id', u32], ['who', account], ['amount', u128]]],
    ['TransferToChain', [['dest', account], ['amount', u128], ['seq', u64]]],
    ['WorkerRegistered', [['contract_id', u32], ['identity_pub', bytes32], ['measurement', h256]]],
    ['MeasurementAdded', [['hash', h256]]],
    ['MeasurementRemoved', [['hash', h256]]],
    ['ContractCreated', [['contract_id', u32], ['custody', account]]],
    ['TcbPolicySet', [['accepted_statuses', tcbStatuses], ['max_collateral_age_ms', u64]]],
    ['KeyHandedOver', [['contract_id', u32], ['recipient', bytes32], ['sender', bytes32]]],
    ['CheckpointRecorded', [['contract_id', u32], ['block_number', u32], ['worker', bytes32], ['block_hash', h256], ['state_root', h256]]],
    ['CheckpointMismatch', [['contract_id', u32], ['block_number', u32], ['block_hash', h256], ['state_root', h256]]],
    ['WorkerEndpointSet', [['contract_id', u32], ['identity_pub', bytes32], ['endpoint', bytes]]],
  ]);
  const errors = t.enumOf('pallet_phala::pallet::Error', PHALA_ERRORS.map(([name, doc]) => [name, [], doc]));

  const item = (name: string, type: StorageEntryJson['type'], optional: boolean, doc: string, fallback = '0x00'): StorageEntryJson =>
    ({ name, modifier: optional ? 'Optional' : 'Default', type, fallback, docs: [doc] });
  const map = (hasher: string, key: number, value: number) => ({ map: { hashers: [hasher], key, value } });

  return {
    name: 'PhalaModule',
    index: PHALA_PALLET_INDEX,
    calls: { type: calls },
    events: { type: events },
    errors: { type: errors },
    storage: {
      prefix: 'PhalaModule',
      items: [
        item('DevAttestationAuthority', { plain: bytes32 }, true, 'ed25519 key of the dev attestation authority (generated per chain at genesis).'),
        item('AllowedMeasurements', map('Blake2_128Concat', h256, bool), false, 'Enclave code measurements allowed to register workers.'),
        item('Workers', map('Blake2_128Concat', bytes32, workerInfo), true, 'Registered workers by identity key.'),
        item('ContractKeys', map('Twox64Concat', u32, contractKey), true, 'Contract ECDH key, first worker identity and measurement.'),
        item('ContractWorkers', map('Twox64Concat', u32, t.def({ sequence: { type: bytes32 } })), false, 'Identity keys of the registered workers of a contract (receipt signers).'),
        item('ContractAttestation', map('Twox64Concat', u32, bytes), true, 'SCALE attestation report of the worker that first registered the contract.'),
        item('Contracts', map('Twox64Concat', u32, contractInfo), true, 'Contracts governance created, with the custody account holding each one\'s public funds.'),
        item('ContractCount', { plain: u32 }, false, 'Contracts created so far; ids are 1..=ContractCount.', '0x00000000'),
        item('AcceptedTcbStatuses', { plain: tcbStatuses }, false, 'TCB statuses accepted from hardware quotes (set by root).', DEFAULT_POLICY_SCALE.acceptedTcbStatuses),
        item('MaxCollateralAge', { plain: u64 }, false, 'Oldest collateral accepted from hardware quotes, in ms since its issue date (set by root).', DEFAULT_POLICY_SCALE.maxCollateralAge),
        item('WorkerAttestation', map('Blake2_128Concat', bytes32, bytes), true, 'SCALE attestation report each worker registered with, by identity key (what a keyholder verifies before a handover and clients verify before querying it).'),
        item('HandedOverKeys', map('Blake2_128Concat', bytes32, bytes), true, 'The contract keys sealed to a worker\'s handover key, by the recipient\'s identity key: the first valid handover.'),
        item('UsedReceipts', { map: { hashers: ['Twox64Concat', 'Twox64Concat'], key: t.def({ tuple: [u32, u64] }), value: bool } }, false, 'Withdraw receipt seqs already paid, per contract.'),
        item('Checkpoints', { map: { hashers: ['Twox64Concat', 'Twox64Concat'], key: t.def({ tuple: [u32, u32] }), value: t.def({ sequence: { type: checkpointVote } }) } }, false, 'The workers\' checkpoints of a block, per contract, in the order they were recorded.'),
        item('LatestCheckpoint', map('Twox64Concat', u32, u32), true, 'The highest block number any worker of the contract recorded a checkpoint for.'),
        item('CheckpointAlarm', map('Twox64Concat', u32, u32), true, 'The latest block at which the contract\'s workers\' checkpoints disagreed (CheckpointMismatch).'),
        item('WorkerEndpoint', map('Blake2_128Concat', bytes32, workerEndpoint), true, 'Where each worker answers queries, with its identity key\'s signature (clients check it themselves).'),
      ],
    },
    constants: [
      { name: 'PalletId', type: palletId, value: constants.palletId, docs: ['Custody of contract N is the sub-account "modl" | PalletId | N (u32 LE), zero-padded to 32 bytes.'] },
      { name: 'CommandEnvelopeSize', type: u32, value: constants.commandEnvelopeSize, docs: ['Exact pushCommand payload size.'] },
      { name: 'MaxCommandBatch', type: u32, value: constants.maxCommandBatch, docs: ['Most envelopes one pushCommands call carries.'] },
    ],
  };
}
