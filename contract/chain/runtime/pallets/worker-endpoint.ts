/**
 * `phalaModule.setWorkerEndpoint`: a registered worker publishes where it answers queries, so
 * clients find every worker of a contract from the chain alone. The URL is signed by the worker's
 * identity key (shared/protocol/worker-endpoint.ts), so nobody else can point its clients elsewhere;
 * anyone may submit the signed call (the worker host's funded account does). A worker whose
 * measurement governance removed can no longer publish.
 */
import { verifyIdentitySignature } from '../../../../shared/crypto/identity';
import type { PalletPhalaCall } from '../../../../shared/protocol/phala-augment';
import { workerEndpointMessage, workerEndpointProblem } from '../../../../shared/protocol/worker-endpoint';
import { ensureSigned, type CallArgsOf, type CallHandler, type ValidateContext } from '../dispatch';
import { phalaFail as fail } from './phala-errors';

const S = 'phalaModule';
type Args = CallArgsOf<PalletPhalaCall>['setWorkerEndpoint'];

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** The endpoint as text, once every rule holds; returns the worker's contract id. */
function checkedEndpoint({ storage, env }: ValidateContext, { identityPub, endpoint, signature }: Args): { url: string; contractId: number } {
  let url: string;
  try {
    url = strictUtf8.decode(endpoint.toU8a(true));
  } catch {
    throw fail('BadWorkerEndpoint');
  }
  if (workerEndpointProblem(url) !== null) throw fail('BadWorkerEndpoint');
  const info = storage.get(S, 'workers', identityPub.toU8a());
  if (!info) throw fail('WorkerNotRegistered');
  if (!storage.get(S, 'allowedMeasurements', info.measurement).isTrue) throw fail('MeasurementNotAllowed');
  if (!verifyIdentitySignature(signature.toU8a(), workerEndpointMessage(env.genesisHash, identityPub.toU8a(), url), identityPub.toU8a())) {
    throw fail('BadEndpointSignature');
  }
  return { url, contractId: info.contractId.toNumber() };
}

export const setWorkerEndpoint: CallHandler<Args> = {
  weight: 100_000_000n,
  validate: (ctx, args) => void checkedEndpoint(ctx, args),
  dispatch: (ctx, args) => {
    ensureSigned(ctx.origin);
    const { contractId } = checkedEndpoint(ctx, args);
    ctx.storage.put(S, 'workerEndpoint', [args.identityPub], { url: args.endpoint, signature: args.signature });
    ctx.deposit('PhalaModule', 'WorkerEndpointSet', { contractId, identityPub: args.identityPub, endpoint: args.endpoint });
  },
};
