/**
 * What the worker host uses; everything else in this folder is the enclave's inside.
 *
 *   first run   secret = EnclaveSecret.generate(); store secret.wrapForDev(keyFile)   (dev: a key file, not hardware)
 *               enclave = await Enclave.create(secret, { genesisHash, contractId, minWithdraw, metadata, native, genesis: { header, proof } })
 *               (minWithdraw = the chain's balances.existentialDeposit, read again on every start;
 *                metadata = state_getMetadata at genesis; proof = state_getReadProof of the GRANDPA set at genesis)
 *               report = await enclave.attest(DevAttestationProvider.fromSeedFile(seedHex, genesisHash), Date.now())
 *   restart     enclave = await Enclave.restore(EnclaveSecret.unwrapForDev(blob, keyFile), { genesisHash, contractId, minWithdraw, metadata }, sealedState)
 *               relay enclave.unpaidReceipts()   (released and not yet paid; held ones wait for their boundary)
 *   each block  r = await enclave.ingest([{ header, justification, extrinsics, proof }]); submit r.receipts (a cadence
 *               batch, released only at boundary blocks; receiptCadence in the config); store enclave.seal()
 *               (blocks from enclave.lastBlock + 1, as the chain's RPC gives them; a LightClientError refuses, changing nothing)
 *               submit r.checkpoints (phalaModule.submitCheckpoint, every checkpointInterval blocks); once
 *               enclave.checkpointStatus is 'diverged' the enclave signs no receipt: stop relaying commands too
 *   queries     POST /query   → await enclave.handleQuery(body, Date.now())
 *               POST /session → enclave.handleSessionQuery(body, Date.now())
 *               a thrown DarkWalletError (ProtocolError) → HTTP 400 with its code; refusals after a key exists come back sealed
 *   join        receiver = await KeyReceiver.create(EnclaveSecret.generateJoiner(), { genesisHash, contractId, metadata, genesis })
 *               register receiver.attest(provider, contractPubOnChain, now); receiver.ingest(blocks) until
 *               receiver.receive(header, proof of receiver.proofKeys()) gives the secret with the contract keys;
 *               then Enclave.create(thatSecret, …) replays the contract from genesis
 *   keyholder   enclave.handOver(recipient, lastHeader, proof of recipientKeys + allowedMeasurementKey) → phalaModule.handoverKey
 *   /health     enclave.health(): block, public keys — nothing secret, no counts
 *   operator    enclave.counts(): sessions, held and unpaid receipts — for the operator's local status only
 */
export { Enclave } from './enclave';
export type { BlockResult, CreateConfig, EnclaveConfig, EnclaveCounts, EnclaveHealth, IngestOptions, SignedCheckpoint, SignedHandover, SignedReceipt } from './enclave';
export { KeyReceiver, type JoinConfig } from './key-receiver';
export { HandoverRefused, allowedMeasurementKey, recipientKeys, type HandoverRefusalReason } from './handover';
export type { CheckpointStatus } from './checkpoint-watch';
export type { TestOnlyFaults } from './test-faults';
export { LightClientError, SYSTEM_EVENTS_KEY, GRANDPA_AUTHORITIES_KEY, GRANDPA_SET_ID_KEY } from './light-client';
export type { BlockInput, LightClientErrorCode } from './light-client';
export { EnclaveSecret } from './secret';
export { DevAttestationProvider } from './attestation';
export type { AttestationProvider } from './attestation';
export { EnclaveError } from './errors';
export type { EnclaveErrorCode } from './errors';
