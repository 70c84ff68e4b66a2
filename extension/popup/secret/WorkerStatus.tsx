/** Whether the confidential workers can be trusted and reached: shown plainly, never hidden behind an icon. */
import type { SecretStatusView } from '../../messages/types';
import { Notice } from '../components/Form';

/** "2 workers, attested": how many attested workers the chain names for the contract. */
const workerCount = (n: number) => `${n} ${n === 1 ? 'worker' : 'workers'}, attested`;

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
      {status.workers !== null && (
        <small data-testid="worker-count" data-count={status.workers}>
          {workerCount(status.workers)}
          {status.checkpoints?.state === 'agree' && (
            <> · <span data-testid="checkpoints" data-state="agree">checkpoints agree (block #{status.checkpoints.block})</span></>
          )}
        </small>
      )}
      {status.checkpoints?.state === 'mismatch' && (
        <Notice tone="warn" testid="checkpoints">The contract's workers disagree about the ledger (a checkpoint mismatch on chain at block #{status.checkpoints.block}). Balances shown may be wrong until it is resolved.</Notice>
      )}
      <small class="muted" data-testid="worker-endpoint">
        {status.answeredBy ?? (status.workerEndpoint || "the contract's workers on chain")}
        {status.workerBlock !== null && <> · processed block <span data-testid="worker-block">#{status.workerBlock}</span></>}
      </small>
      {status.message && <Notice tone="warn" testid="worker-error">{status.message}</Notice>}
    </div>
  );
}
