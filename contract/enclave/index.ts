/**
 * What the worker host uses; everything else in this folder is the enclave's inside.
 *
 *   first run   secret = EnclaveSecret.generate(); store secret.wrapForDev(keyFile)   (dev: a key file, not hardware)
 *               enclave = await Enclave.create(secret, { genesisHash, contractId, minWithdraw, native, firstBlock })
 *               (minWithdraw = the chain's balances.existentialDeposit, read again on every start)
 *               report = await enclave.attest(DevAttestationProvider.fromSeedFile(seedHex, genesisHash), Date.now())
 *   restart     enclave = await Enclave.restore(EnclaveSecret.unwrapForDev(blob, keyFile), { genesisHash, contractId, minWithdraw }, sealedState)
 *   each block  r = await enclave.processBlock(number, hash, items); submit r.receipts; store enclave.seal()
 *               (blocks from enclave.lastBlock + 1, in order; at or below it they are ignored)
 *   queries     POST /query   → await enclave.handleQuery(body, Date.now())
 *               POST /session → enclave.handleSessionQuery(body, Date.now())
 *               a thrown DarkWalletError (ProtocolError) → HTTP 400 with its code; refusals after a key exists come back sealed
 *   /health     enclave.health(): block, public keys, session count — nothing secret
 */
export { Enclave } from './enclave';
export type { BlockResult, CreateConfig, EnclaveConfig, EnclaveHealth, SignedReceipt } from './enclave';
export type { BlockItem } from './block';
export { EnclaveSecret } from './secret';
export { DevAttestationProvider } from './attestation';
export type { AttestationProvider } from './attestation';
export { EnclaveError } from './errors';
export type { EnclaveErrorCode } from './errors';
