/**
 * The `PhalaModule` pallet as polkadot-js types (what `@polkadot/typegen` would emit from the dev
 * chain's metadata, contract/chain/metadata/phala.ts): its codec shapes, and the augmentation that
 * types `api.query.phalaModule`, `api.tx.phalaModule`, `api.events.phalaModule` and
 * `api.consts.phalaModule`. Type-only: importing it adds nothing to a bundle.
 *
 * The dev chain's pallet code takes its call arguments from `PalletPhalaCall` too, so a field
 * renamed here fails to compile on both sides of the RPC.
 */
import '@polkadot/api-base/types/consts';
import '@polkadot/api-base/types/events';
import '@polkadot/api-base/types/storage';
import '@polkadot/api-base/types/submittable';
import type { ApiTypes, AugmentedEvent, AugmentedQuery, QueryableStorageEntry } from '@polkadot/api-base/types';
import type { Bytes, Enum, Option, Struct, U8aFixed, Vec, bool, u128, u32, u64 } from '@polkadot/types-codec';
import type { AnyNumber, AnyTuple } from '@polkadot/types-codec/types';
import type { AccountId32, H256 } from '@polkadot/types/interfaces/runtime';
import type { Observable } from '@polkadot/types/types';
import type { TcbStatus } from '../dcap';

/** `pallet_phala::types::WithdrawReceipt`. */
export interface PalletPhalaWithdrawReceipt extends Struct {
  readonly contractId: u32;
  readonly seq: u64;
  readonly dest: AccountId32;
  readonly amount: u128;
}

/** `pallet_phala::types::WorkerInfo`. */
export interface PalletPhalaWorkerInfo extends Struct {
  readonly contractId: u32;
  readonly ecdhPub: U8aFixed;
  readonly measurement: H256;
}

/** `pallet_phala::types::ContractKey`. */
export interface PalletPhalaContractKey extends Struct {
  readonly ecdhPub: U8aFixed;
  readonly identityPub: U8aFixed;
  readonly measurement: H256;
}

/** `pallet_phala::types::WorkerEndpoint`: where a worker answers, signed by its identity key. */
export interface PalletPhalaWorkerEndpoint extends Struct {
  readonly url: Bytes;
  readonly signature: U8aFixed;
}

/** `pallet_phala::types::ContractInfo`: what governance created. */
export interface PalletPhalaContractInfo extends Struct {
  readonly custody: AccountId32;
}

/** `pallet_phala::pallet::Call`, in the shape polkadot-js decodes it. */
export interface PalletPhalaCall extends Enum {
  readonly isPushCommand: boolean;
  readonly asPushCommand: { readonly contractId: u32; readonly payload: Bytes } & Struct;
  readonly isTransferToTee: boolean;
  readonly asTransferToTee: { readonly contractId: u32; readonly amount: u128 } & Struct;
  readonly isTransferToChain: boolean;
  readonly asTransferToChain: { readonly receipt: PalletPhalaWithdrawReceipt; readonly signature: U8aFixed } & Struct;
  readonly isRegisterWorker: boolean;
  readonly asRegisterWorker: { readonly identityPub: U8aFixed; readonly ecdhPub: U8aFixed; readonly attestation: Bytes } & Struct;
  readonly isCreateContract: boolean;
  readonly asCreateContract: Struct;
  readonly isAddMeasurement: boolean;
  readonly asAddMeasurement: { readonly hash_: H256 } & Struct;
  readonly isRemoveMeasurement: boolean;
  readonly asRemoveMeasurement: { readonly hash_: H256 } & Struct;
  readonly isSetTcbPolicy: boolean;
  readonly asSetTcbPolicy: { readonly acceptedStatuses: Vec<PalletPhalaTcbStatus>; readonly maxCollateralAgeMs: u64 } & Struct;
  readonly isTransferToChainBatch: boolean;
  readonly asTransferToChainBatch: { readonly receipts: Vec<PalletPhalaSignedWithdrawReceipt> } & Struct;
  readonly isPushCommands: boolean;
  readonly asPushCommands: { readonly contractId: u32; readonly payloads: Vec<Bytes> } & Struct;
  readonly isHandoverKey: boolean;
  readonly asHandoverKey: { readonly contractId: u32; readonly recipient: U8aFixed; readonly sender: U8aFixed; readonly sealedKeys: Bytes; readonly signature: U8aFixed } & Struct;
  readonly isSubmitCheckpoint: boolean;
  readonly asSubmitCheckpoint: { readonly checkpoint: PalletPhalaCheckpoint; readonly signature: U8aFixed } & Struct;
  readonly isSetWorkerEndpoint: boolean;
  readonly asSetWorkerEndpoint: { readonly identityPub: U8aFixed; readonly endpoint: Bytes; readonly signature: U8aFixed } & Struct;
  readonly type:
    | 'PushCommand' | 'TransferToTee' | 'TransferToChain' | 'RegisterWorker' | 'CreateContract' | 'AddMeasurement' | 'RemoveMeasurement'
    | 'SetTcbPolicy' | 'TransferToChainBatch' | 'PushCommands' | 'HandoverKey' | 'SubmitCheckpoint' | 'SetWorkerEndpoint';
}

/** `pallet_phala::types::Checkpoint` (shared/protocol/checkpoint.ts). */
export interface PalletPhalaCheckpoint extends Struct {
  readonly contractId: u32;
  readonly blockNumber: u32;
  readonly blockHash: H256;
  readonly stateRoot: H256;
  readonly worker: U8aFixed;
}

/** `pallet_phala::types::CheckpointVote`: one worker's checkpoint of a block, as the pallet records it. */
export interface PalletPhalaCheckpointVote extends Struct {
  readonly worker: U8aFixed;
  readonly blockHash: H256;
  readonly stateRoot: H256;
}

/** `pallet_phala::types::SignedWithdrawReceipt`: a receipt with its worker's signature, as a batch holds it. */
export interface PalletPhalaSignedWithdrawReceipt extends Struct {
  readonly receipt: PalletPhalaWithdrawReceipt;
  readonly signature: U8aFixed;
}

/** `pallet_phala::types::TcbStatus`: a DCAP TCB status (shared/dcap `TCB_STATUSES`, in that order). */
export interface PalletPhalaTcbStatus extends Enum {
  readonly type: TcbStatus;
}

type U32In = u32 | AnyNumber | Uint8Array;
type BytesIn = Bytes | string | Uint8Array;
type Fixed = U8aFixed | string | Uint8Array;
type H256In = H256 | string | Uint8Array;
type Query<ApiType extends ApiTypes, F extends (...args: never[]) => Observable<unknown>, K extends AnyTuple> =
  AugmentedQuery<ApiType, F, K> & QueryableStorageEntry<ApiType, K>;

declare module '@polkadot/api-base/types/storage' {
  interface AugmentedQueries<ApiType extends ApiTypes> {
    phalaModule: {
      devAttestationAuthority: Query<ApiType, () => Observable<Option<U8aFixed>>, []>;
      allowedMeasurements: Query<ApiType, (hash: H256In) => Observable<bool>, [H256]>;
      workers: Query<ApiType, (identityPub: Fixed) => Observable<Option<PalletPhalaWorkerInfo>>, [U8aFixed]>;
      contractKeys: Query<ApiType, (contractId: U32In) => Observable<Option<PalletPhalaContractKey>>, [u32]>;
      contractWorkers: Query<ApiType, (contractId: U32In) => Observable<Vec<U8aFixed>>, [u32]>;
      contractAttestation: Query<ApiType, (contractId: U32In) => Observable<Option<Bytes>>, [u32]>;
      usedReceipts: Query<ApiType, (contractId: U32In, seq: u64 | AnyNumber | Uint8Array) => Observable<bool>, [u32, u64]>;
      contracts: Query<ApiType, (contractId: U32In) => Observable<Option<PalletPhalaContractInfo>>, [u32]>;
      contractCount: Query<ApiType, () => Observable<u32>, []>;
      acceptedTcbStatuses: Query<ApiType, () => Observable<Vec<PalletPhalaTcbStatus>>, []>;
      maxCollateralAge: Query<ApiType, () => Observable<u64>, []>;
      workerAttestation: Query<ApiType, (identityPub: Fixed) => Observable<Option<Bytes>>, [U8aFixed]>;
      handedOverKeys: Query<ApiType, (identityPub: Fixed) => Observable<Option<Bytes>>, [U8aFixed]>;
      checkpoints: Query<ApiType, (contractId: U32In, blockNumber: U32In) => Observable<Vec<PalletPhalaCheckpointVote>>, [u32, u32]>;
      latestCheckpoint: Query<ApiType, (contractId: U32In) => Observable<Option<u32>>, [u32]>;
      checkpointAlarm: Query<ApiType, (contractId: U32In) => Observable<Option<u32>>, [u32]>;
      workerEndpoint: Query<ApiType, (identityPub: Fixed) => Observable<Option<PalletPhalaWorkerEndpoint>>, [U8aFixed]>;
    };
  }
}

declare module '@polkadot/api-base/types/submittable' {
  interface AugmentedSubmittables<ApiType extends ApiTypes> {
    phalaModule: {
      pushCommand: AugmentedSubmittable<(contractId: U32In, payload: BytesIn) => SubmittableExtrinsic<ApiType>, [u32, Bytes]>;
      transferToTee: AugmentedSubmittable<(contractId: U32In, amount: u128 | AnyNumber | Uint8Array) => SubmittableExtrinsic<ApiType>, [u32, u128]>;
      transferToChain: AugmentedSubmittable<(
        receipt: PalletPhalaWithdrawReceipt | { contractId: AnyNumber; seq: AnyNumber; dest: string | Uint8Array; amount: AnyNumber } | string | Uint8Array,
        signature: Fixed,
      ) => SubmittableExtrinsic<ApiType>, [PalletPhalaWithdrawReceipt, U8aFixed]>;
      registerWorker: AugmentedSubmittable<(identityPub: Fixed, ecdhPub: Fixed, attestation: BytesIn) => SubmittableExtrinsic<ApiType>, [U8aFixed, U8aFixed, Bytes]>;
      createContract: AugmentedSubmittable<() => SubmittableExtrinsic<ApiType>, []>;
      addMeasurement: AugmentedSubmittable<(hash: H256In) => SubmittableExtrinsic<ApiType>, [H256]>;
      removeMeasurement: AugmentedSubmittable<(hash: H256In) => SubmittableExtrinsic<ApiType>, [H256]>;
      setTcbPolicy: AugmentedSubmittable<(
        acceptedStatuses: (PalletPhalaTcbStatus | TcbStatus)[], maxCollateralAgeMs: u64 | AnyNumber | Uint8Array,
      ) => SubmittableExtrinsic<ApiType>, [Vec<PalletPhalaTcbStatus>, u64]>;
      transferToChainBatch: AugmentedSubmittable<(
        receipts: { receipt: { contractId: AnyNumber; seq: AnyNumber; dest: string | Uint8Array; amount: AnyNumber }; signature: Fixed }[],
      ) => SubmittableExtrinsic<ApiType>, [Vec<PalletPhalaSignedWithdrawReceipt>]>;
      pushCommands: AugmentedSubmittable<(contractId: U32In, payloads: BytesIn[]) => SubmittableExtrinsic<ApiType>, [u32, Vec<Bytes>]>;
      handoverKey: AugmentedSubmittable<(
        contractId: U32In, recipient: Fixed, sender: Fixed, sealedKeys: BytesIn, signature: Fixed,
      ) => SubmittableExtrinsic<ApiType>, [u32, U8aFixed, U8aFixed, Bytes, U8aFixed]>;
      submitCheckpoint: AugmentedSubmittable<(
        checkpoint: { contractId: AnyNumber; blockNumber: AnyNumber; blockHash: H256In; stateRoot: H256In; worker: Fixed },
        signature: Fixed,
      ) => SubmittableExtrinsic<ApiType>, [PalletPhalaCheckpoint, U8aFixed]>;
      setWorkerEndpoint: AugmentedSubmittable<(identityPub: Fixed, endpoint: BytesIn, signature: Fixed) => SubmittableExtrinsic<ApiType>, [U8aFixed, Bytes, U8aFixed]>;
    };
  }
}

declare module '@polkadot/api-base/types/events' {
  interface AugmentedEvents<ApiType extends ApiTypes> {
    phalaModule: {
      CommandPushed: AugmentedEvent<ApiType, [contractId: u32, sender: AccountId32, payloadHash: H256], { contractId: u32; sender: AccountId32; payloadHash: H256 }>;
      TransferToTee: AugmentedEvent<ApiType, [contractId: u32, who: AccountId32, amount: u128], { contractId: u32; who: AccountId32; amount: u128 }>;
      TransferToChain: AugmentedEvent<ApiType, [dest: AccountId32, amount: u128, seq: u64], { dest: AccountId32; amount: u128; seq: u64 }>;
      WorkerRegistered: AugmentedEvent<ApiType, [contractId: u32, identityPub: U8aFixed, measurement: H256], { contractId: u32; identityPub: U8aFixed; measurement: H256 }>;
      ContractCreated: AugmentedEvent<ApiType, [contractId: u32, custody: AccountId32], { contractId: u32; custody: AccountId32 }>;
      MeasurementAdded: AugmentedEvent<ApiType, [hash_: H256], { hash_: H256 }>;
      MeasurementRemoved: AugmentedEvent<ApiType, [hash_: H256], { hash_: H256 }>;
      TcbPolicySet: AugmentedEvent<ApiType, [acceptedStatuses: Vec<PalletPhalaTcbStatus>, maxCollateralAgeMs: u64], { acceptedStatuses: Vec<PalletPhalaTcbStatus>; maxCollateralAgeMs: u64 }>;
      KeyHandedOver: AugmentedEvent<ApiType, [contractId: u32, recipient: U8aFixed, sender: U8aFixed], { contractId: u32; recipient: U8aFixed; sender: U8aFixed }>;
      CheckpointRecorded: AugmentedEvent<ApiType, [contractId: u32, blockNumber: u32, worker: U8aFixed, blockHash: H256, stateRoot: H256], { contractId: u32; blockNumber: u32; worker: U8aFixed; blockHash: H256; stateRoot: H256 }>;
      /** The workers' checkpoints of `blockNumber` differ; `blockHash`/`stateRoot` are the reference (DESIGN.md §11: the majority, a tie going to the earliest-registered worker). */
      CheckpointMismatch: AugmentedEvent<ApiType, [contractId: u32, blockNumber: u32, blockHash: H256, stateRoot: H256], { contractId: u32; blockNumber: u32; blockHash: H256; stateRoot: H256 }>;
      WorkerEndpointSet: AugmentedEvent<ApiType, [contractId: u32, identityPub: U8aFixed, endpoint: Bytes], { contractId: u32; identityPub: U8aFixed; endpoint: Bytes }>;
    };
  }
}

declare module '@polkadot/api-base/types/consts' {
  interface AugmentedConsts<ApiType extends ApiTypes> {
    phalaModule: {
      /** `frame_support::PalletId`: custody accounts derive from it (shared/protocol/custody.ts). */
      palletId: U8aFixed & AugmentedConst<ApiType>;
      commandEnvelopeSize: u32 & AugmentedConst<ApiType>;
      maxCommandBatch: u32 & AugmentedConst<ApiType>;
    };
  }
}
