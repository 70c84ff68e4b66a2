/** Small files the node creates once (keys, the genesis authority set) and must never find half-written. */
import { closeSync, fsyncSync, openSync, renameSync, writeFileSync } from 'node:fs';

/** Writes `text` to `path` through a fsynced temp file and a rename (mode as given, e.g. 0600 for seeds). */
export function writeFileDurably(path: string, text: string, mode: number): void {
  const tmp = `${path}.tmp`;
  writeFileSync(tmp, text, { mode });
  const fd = openSync(tmp, 'r');
  fsyncSync(fd);
  closeSync(fd);
  renameSync(tmp, path);
}
