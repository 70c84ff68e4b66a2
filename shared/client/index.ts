export { DarkClient, type DarkClientOptions, type Submitted } from './dark-client';
export { ClientError, type ClientErrorCode } from './errors';
export { loadTrustedContract, type TrustedContract } from './contract';
export { checkpointStatusOf, readCheckpointStatus, type CheckpointStatus } from './checkpoint-status';
export { WorkerTransport, type WorkerHealth } from './transport';
export { submitAndWatch, type Included } from './submit';
export { existentialDeposit } from './chain-constants';
export { chainProperties, type ChainProperties } from './chain-properties';
