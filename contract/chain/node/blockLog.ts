/**
 * Durable block log: one record per block, appended and fsynced before the block is announced, so
 * anything a client saw finalized survives `kill -9`. Record = u32 LE length | u32 LE CRC-32 |
 * payload. A crash mid-append leaves a torn last record; opening the log detects it (short or bad
 * checksum), cuts it off and keeps every earlier record — appends never rewrite earlier bytes.
 */
import { closeSync, fstatSync, fsyncSync, ftruncateSync, openSync, readSync, writeSync } from 'node:fs';
import { crc32 } from 'node:zlib';

const HEADER = 8;
/** Far above any block we build; a larger length can only be a torn or corrupt header. */
const MAX_RECORD = 64 * 1024 * 1024;

export interface OpenedLog {
  log: BlockLog;
  records: Uint8Array[];
  /** Bytes cut off the end (a torn last record), 0 when the log was clean. */
  droppedBytes: number;
}

export class BlockLog {
  #fd: number;
  #size: number;

  private constructor(fd: number, size: number) {
    this.#fd = fd;
    this.#size = size;
  }

  static open(path: string): OpenedLog {
    const fd = openSync(path, 'a+', 0o600);
    const total = fstatSync(fd).size;
    const records: Uint8Array[] = [];
    let at = 0;
    const head = Buffer.alloc(HEADER);
    while (at + HEADER <= total) {
      readSync(fd, head, 0, HEADER, at);
      const len = head.readUInt32LE(0);
      if (len > MAX_RECORD || at + HEADER + len > total) break;
      const payload = Buffer.alloc(len);
      readSync(fd, payload, 0, len, at + HEADER);
      if (crc32(payload) !== head.readUInt32LE(4)) break;
      records.push(new Uint8Array(payload.buffer, payload.byteOffset, len));
      at += HEADER + len;
    }
    if (at < total) {
      ftruncateSync(fd, at);
      fsyncSync(fd);
    }
    return { log: new BlockLog(fd, at), records, droppedBytes: total - at };
  }

  /** Appends one record; with `durable` (the default) returns only once it is on disk. */
  append(payload: Uint8Array, durable = true): void {
    const record = Buffer.alloc(HEADER + payload.length);
    record.writeUInt32LE(payload.length, 0);
    record.writeUInt32LE(crc32(payload), 4);
    record.set(payload, HEADER);
    let written = 0;
    while (written < record.length) written += writeSync(this.#fd, record, written, record.length - written, this.#size + written);
    if (durable) fsyncSync(this.#fd);
    this.#size += record.length;
  }

  /** Keeps only the first `count` of the `records` this log was opened with. */
  truncateTo(records: readonly Uint8Array[], count: number): void {
    this.#size = records.slice(0, count).reduce((n, r) => n + HEADER + r.length, 0);
    ftruncateSync(this.#fd, this.#size);
  }

  close(): void {
    closeSync(this.#fd);
  }
}
