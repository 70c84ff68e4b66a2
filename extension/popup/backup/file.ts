/** What a chosen backup file looks like before anything is decrypted (the background checks it properly). */

/** An "all accounts" backup holds many keystores; 100 accounts stay well under this. */
export const MAX_BACKUP_FILE_BYTES = 512 * 1024;

export type BackupFileKind = { kind: 'single' } | { kind: 'batch'; names: string[] };

const record = (x: unknown): Record<string, unknown> | null => (typeof x === 'object' && x !== null && !Array.isArray(x) ? x as Record<string, unknown> : null);

/** A batch lists its accounts in the clear (address and name); a single-account file does not. */
export function backupFileKind(text: string): BackupFileKind {
  let json: Record<string, unknown> | null;
  try {
    json = record(JSON.parse(text));
  } catch {
    return { kind: 'single' };
  }
  const content = record(json?.encoding)?.content;
  if (!Array.isArray(content) || content[0] !== 'batch-pkcs8') return { kind: 'single' };
  const accounts = Array.isArray(json?.accounts) ? json.accounts : [];
  const names = accounts.map((a, i) => {
    const name = record(record(a)?.meta)?.name;
    return typeof name === 'string' && name.trim() ? name.trim().slice(0, 32) : `Account ${i + 1}`;
  });
  return { kind: 'batch', names };
}
