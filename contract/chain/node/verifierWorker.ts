/** Worker-thread entry of the thread verifier: answers `{id, check}` with `{id, ok}`, in order. */
import { parentPort } from 'node:worker_threads';
import { verifySignature, type SignatureCheck } from '../runtime/signature';

parentPort!.on('message', ({ id, check }: { id: number; check: SignatureCheck }) => {
  parentPort!.postMessage({ id, ok: verifySignature(check) });
});
