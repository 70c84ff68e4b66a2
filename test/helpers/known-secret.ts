/**
 * An enclave secret whose contract secret the test knows because the test drew it and handed it in
 * (the dev provisioning path of a second worker): no raw key is ever read back out of the enclave.
 */
import { EnclaveSecret } from '../../contract/enclave';
import { randomSecret } from '../../shared/crypto/x25519';

export function withKnownContractSecret(): { secret: EnclaveSecret; contractSecret: Uint8Array } {
  const contractSecret = randomSecret();
  return { secret: EnclaveSecret.devOnlyWithContractSecret(contractSecret), contractSecret };
}
