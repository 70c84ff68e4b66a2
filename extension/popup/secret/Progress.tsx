/** Follows one operation after it was sent: pending → included (block #N) → applied / failed. */
import type { SecretOperationView } from '../../messages/types';
import { Button, ErrorNote } from '../components/Form';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';
import { amountText, OP_TITLE, statusText } from './format';
import { useOperations } from './hooks';

const STEPS = ['pending', 'included', 'applied'] as const;

/** For an `unconfirmed` operation: ask the worker again (the background follows it afresh). */
export function RetryFollow({ id }: { id: string }) {
  const retry = useAction(() => sendMessage('pri(dark.retry)', { id }));
  return (
    <>
      <Button kind="secondary" data-testid="op-retry" busy={retry.busy} onClick={() => void retry.run()}>Check again</Button>
      <ErrorNote error={retry.error} />
    </>
  );
}

export function Progress({ first }: { first: SecretOperationView }) {
  const ops = useOperations();
  const op = ops?.find((o) => o.id === first.id) ?? first;
  const reached = op.status === 'failed' ? -1 : op.status === 'unconfirmed' ? 1 : STEPS.indexOf(op.status);
  return (
    <div class="progress card" data-testid="op-progress" data-status={op.status}>
      <strong>{OP_TITLE[op.op]}: {amountText(op.amount, op.decimals, op.symbol)}</strong>
      <ol class="steps">
        <li class={reached >= 0 || op.block !== null ? 'done' : ''}>Signed and sent by Dark Wallet</li>
        <li class={reached >= 1 || op.block !== null ? 'done' : op.status === 'pending' ? 'now' : ''}>
          {op.block !== null ? `Included in block #${op.block}` : 'Included in a block'}
        </li>
        <li class={reached >= 2 ? 'done' : op.status === 'included' ? 'now' : op.status === 'failed' ? 'failed' : ''}>
          {op.status === 'failed' ? 'Failed' : 'Applied by the confidential contract'}
        </li>
      </ol>
      <p class={op.status === 'failed' ? 'error' : 'muted'} data-testid="op-status">{statusText(op.status, op.block, op.reason)}</p>
      {op.status === 'unconfirmed' && <RetryFollow id={op.id} />}
      {op.op === 'issue' && op.status === 'applied' && op.asset !== null && (
        <p class="notice ok" data-testid="issued-asset">{op.symbol} is secret asset #{op.asset}. Its whole supply is in your secret balance.</p>
      )}
      <div class="row">
        <Button kind="secondary" data-testid="op-history" onClick={() => go('secret', 'history', op.address)}>View history</Button>
        <Button data-testid="op-done" onClick={() => go('home')}>Done</Button>
      </div>
    </div>
  );
}
