/** Whether the confidential worker can be trusted and reached: shown plainly, never hidden behind an icon. */
import type { SecretStatusView } from '../../messages/types';
import { Notice } from '../components/Form';

export function WorkerStatus({ status, error }: { status: SecretStatusView | null; error: string | null }) {
  if (error) return <Notice tone="warn" testid="worker-error">{error}</Notice>;
  if (!status) return <p class="muted small" data-testid="worker-status-loading">Checking the confidential worker…</p>;
  const ok = status.state === 'verified';
  return (
    <div class={`trust ${ok ? 'ok' : 'bad'}`} data-testid="worker-status" data-state={status.state}>
      <div class="trust-head">
        <span class={`dot ${ok ? 'ok' : 'bad'}`} aria-hidden="true" />
        <strong>{ok ? 'Worker key verified on chain' : status.state === 'unreachable' ? 'Worker unreachable' : status.state === 'untrusted' ? 'Worker not trusted' : 'Chain unreachable'}</strong>
      </div>
      {status.attestationLabel && (
        <span class={`tag ${status.hardwareProtected ? '' : 'warn'}`} data-testid="attestation-label">{status.attestationLabel}</span>
      )}
      <small class="muted" data-testid="worker-endpoint">
        {status.workerEndpoint}{status.workerBlock !== null && <> · processed block <span data-testid="worker-block">#{status.workerBlock}</span></>}
      </small>
      {status.message && <Notice tone="warn" testid="worker-error">{status.message}</Notice>}
    </div>
  );
}
