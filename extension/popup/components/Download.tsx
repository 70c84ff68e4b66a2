/** A link that saves text the popup made (a backup, a CSV) as a file; the object URL lives as long as the link. */
import { useEffect, useMemo } from 'preact/hooks';

export function Download({ text, type, fileName, testid, children }: { text: string; type: string; fileName: string; testid: string; children: string }) {
  const url = useMemo(() => URL.createObjectURL(new Blob([text], { type })), [text, type]);
  useEffect(() => () => URL.revokeObjectURL(url), [url]);
  return <a class="btn secondary" href={url} download={fileName} data-testid={testid}>{children}</a>;
}
