/**
 * Signature verification on a worker thread. sr25519 verification is most of what a transaction
 * costs the chain; on its own thread it overlaps decoding, execution, persistence and RPC on the
 * main one. Used by the CLI node (tsx); in-process chains (tests) verify inline.
 */
import { Worker } from 'node:worker_threads';
import { inlineVerifier, type SignatureCheck, type Verifier } from '../runtime/signature';

/**
 * Threads the CLI node verifies signatures on: this one worker. The main thread never verifies
 * (blocks take only transactions the worker has passed, and a replay re-executes without
 * re-verifying), so this is what bounds its transaction rate (`npm run bench -- chain`).
 */
export const VERIFIER_THREADS = 1;

export function startVerifierThread(log: (line: string) => void): Verifier {
  // The worker is TypeScript: load it through tsx's loader, resolved from here (not from the cwd).
  const entry = new URL('./verifierWorker.ts', import.meta.url).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const worker = new Worker(
    `import(${JSON.stringify(tsx)}).then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`,
    { eval: true },
  );
  const pending = new Map<number, { check: SignatureCheck; resolve: (ok: boolean) => void }>();
  let nextId = 0;
  let failed = false;
  worker.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
    pending.get(id)?.resolve(ok);
    pending.delete(id);
  });
  // A broken worker must not stall or wrongly refuse transactions: verify inline from then on.
  worker.on('error', (e) => {
    log(`signature verification thread failed (${e.message}); verifying inline`);
    failed = true;
    for (const { check, resolve } of pending.values()) void inlineVerifier.verify(check).then(resolve);
    pending.clear();
  });
  return {
    verify: (check) => {
      if (failed) return inlineVerifier.verify(check);
      return new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { check, resolve });
        worker.postMessage({ id, check });
      });
    },
    close: async () => {
      await worker.terminate();
    },
  };
}
