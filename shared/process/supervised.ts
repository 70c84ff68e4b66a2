/**
 * How a long-running process of the system (chain, worker, demo server, `npm start`) learns it must
 * stop: a signal a supervisor sends (systemd and Docker send SIGTERM, a terminal SIGINT or SIGHUP),
 * or its parent dying. The second matters because a parent killed with SIGKILL cannot pass anything
 * on, and a child that outlived it would keep holding its port. Node-only; never imported by the
 * enclave or the extension.
 */

/** What a supervisor sends to ask a process to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How often the parent is checked; an orphan stops within this much of its parent's death. */
const PARENT_POLL_MS = 250;

/**
 * Calls `stop` once: on the first stop signal, or when the process that started this one is gone
 * (the kernel re-parents an orphan, so `process.ppid` changes). Later signals are ignored, so a
 * terminal's Ctrl-C and a parent forwarding it do not stop twice.
 */
export function stopWhenAskedOrOrphaned(stop: (why: string) => void): void {
  let stopped = false;
  const once = (why: string) => {
    if (stopped) return;
    stopped = true;
    clearInterval(watch);
    stop(why);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, () => once(signal));
  const parent = process.ppid;
  const watch = setInterval(() => {
    if (process.ppid !== parent) once('parent exited');
  }, PARENT_POLL_MS);
  watch.unref(); // watching must not keep an otherwise finished process alive
}
