/**
 * `phalaModule.handoverKey` (DESIGN.md §11): a keyholder worker of a contract hands the contract keys,
 * sealed to a newly registered worker's attested handover key, to that worker. Unsigned (no fee, no
 * funded account): the sender's identity signature authenticates it, as a receipt's does. Everything
 * that would make it useless or unfair is refused at validation (1010), so nothing pays for it:
 *   - the sender must be a registered worker of the contract with an allowed measurement that holds
 *     the keys (the contract's first worker, or one that received them);
 *   - the recipient must be registered for that contract, still allowed, and have attested a handover key;
 *   - one handover per recipient: the first valid one is kept, later ones are refused.
 * The chain cannot see inside the sealed keys; the recipient's enclave checks them against `ContractKeys`.
 */
import { verifyIdentitySignature } from '../../../../shared/crypto/identity';
import { decodeAttestation } from '../../../../shared/protocol/attestation';
import { HANDOVER_SEALED_BYTES, handoverMessage } from '../../../../shared/protocol/handover';
import type { PalletPhalaCall } from '../../../../shared/protocol/phala-augment';
import { contractId as toContractId } from '../../../../shared/types';
import type { CallArgsOf, CallContext, CallTable, ValidateContext } from '../dispatch';
import { phalaFail as fail } from './phala-errors';
import type { Storage } from '../storage';

const S = 'phalaModule';
type Args = CallArgsOf<PalletPhalaCall>['handoverKey'];

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** Registered for `id` with a measurement still on the allow-list. */
function allowedWorkerOf(st: Storage, id: number, identity: Uint8Array): boolean {
  const info = st.get(S, 'workers', identity);
  return !!info && info.contractId.toNumber() === id && st.get(S, 'allowedMeasurements', info.measurement).isTrue;
}

function isKeyholder(st: Storage, id: number, identity: Uint8Array): boolean {
  const keys = st.get(S, 'contractKeys', id);
  return !!keys && (sameBytes(keys.identityPub.toU8a(), identity) || st.has(S, 'handedOverKeys', identity));
}

function validateHandover({ storage, env }: ValidateContext, args: Args): void {
  const id = args.contractId.toNumber();
  if (!storage.has(S, 'contracts', id)) throw fail('UnknownContract');
  const sealed = args.sealedKeys.toU8a(true);
  if (sealed.length !== HANDOVER_SEALED_BYTES) throw fail('HandoverWrongSize');
  const recipient = args.recipient.toU8a();
  const sender = args.sender.toU8a();
  if (!allowedWorkerOf(storage, id, sender) || !isKeyholder(storage, id, sender)) throw fail('NotAKeyholder');
  if (!verifyIdentitySignature(args.signature.toU8a(), handoverMessage(env.genesisHash, toContractId(id), recipient, sealed), sender)) throw fail('BadHandoverSignature');
  const info = storage.get(S, 'workers', recipient);
  if (!info || info.contractId.toNumber() !== id) throw fail('HandoverRecipientUnknown');
  if (!storage.get(S, 'allowedMeasurements', info.measurement).isTrue) throw fail('MeasurementNotAllowed');
  if (isKeyholder(storage, id, recipient)) throw fail('HandoverAlreadyDone');
  const report = storage.get(S, 'workerAttestation', recipient);
  if (!report || decodeAttestation(report.toU8a(true)).handoverPub === undefined) throw fail('HandoverRecipientNoKey');
}

export const handoverCalls: Pick<CallTable<PalletPhalaCall>, 'handoverKey'> = {
  handoverKey: {
    weight: 200_000_000n,
    unsigned: true,
    validate: validateHandover,
    dispatch: (ctx: CallContext, args) => {
      validateHandover(ctx, args); // again at dispatch: two handovers pooled together must not both land
      const recipient = args.recipient.toU8a();
      ctx.storage.put(S, 'handedOverKeys', [recipient], args.sealedKeys);
      ctx.deposit('PhalaModule', 'KeyHandedOver', { contractId: args.contractId, recipient, sender: args.sender.toU8a() });
    },
  },
};

/** Every worker's attestation, kept so a keyholder can verify a recipient from chain storage alone. */
export function recordWorkerAttestation(st: Storage, identityPub: Uint8Array, attestation: unknown): void {
  st.put(S, 'workerAttestation', [identityPub], attestation);
}
