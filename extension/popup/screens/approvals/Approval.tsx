/** Loads one waiting request and shows the view for its kind. */
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { RequestView, WalletState } from '../../../messages/types';
import { Button, ErrorNote, Notice } from '../../components/Form';
import { Screen } from '../../components/Screen';
import { useAction, useLoad } from '../../hooks';
import { sendMessage } from '../../messaging';
import { go } from '../../router';
import { useArmed } from './arming';
import { Authorize } from './Authorize';
import { KIND_LABEL } from './kinds';
import { MetadataApproval } from './Metadata';
import { SecretOperation } from './SecretOperation';
import { SignPayload } from './SignPayload';
import { SignRaw } from './SignRaw';

export interface ApprovalProps<V extends RequestView> {
  view: V;
  state: WalletState;
}

export function Approval({ id, state }: { id: string; state: WalletState }) {
  const view = useLoad(() => sendMessage('pri(requests.get)', { id }), [id]);
  const v = view.value;
  if (view.error) {
    return (
      <Screen name="request-gone" title="Request" back={['home']}>
        <Notice tone="warn" testid="request-error">{view.error}</Notice>
        <Button kind="secondary" onClick={() => window.close()}>Close</Button>
      </Screen>
    );
  }
  if (!v) return <div class="loading" data-testid="loading" />;
  return <SiteQueue.Provider value={{ id, origin: v.origin, state }}>{viewFor(v, state)}</SiteQueue.Provider>;
}

/** The request on screen and the wallet state, so the buttons can move on to the site's next request. */
const SiteQueue = createContext<{ id: string; origin: string; state: WalletState } | null>(null);

function viewFor(v: RequestView, state: WalletState) {
  switch (v.kind) {
    case 'authorize':
      return <Authorize view={v} state={state} />;
    case 'signRaw':
      return <SignRaw view={v} state={state} />;
    case 'signPayload':
      return <SignPayload view={v} state={state} />;
    case 'metadata':
      return <MetadataApproval view={v} state={state} />;
    case 'darkTransfer':
    case 'darkConvertToSecret':
    case 'darkConvertToPublic':
    case 'darkIssue':
      return <SecretOperation view={v} state={state} />;
  }
}

/** The site asking, by its browser-verified origin; its self-chosen name only as a quoted label. */
export function Requester({ view }: { view: RequestView }) {
  return (
    <div class="requester" data-testid="requester">
      <span class="muted">{KIND_LABEL[view.kind]} from</span>
      <strong data-testid="request-origin">{view.origin}</strong>
      {view.originName && <span class="muted">which calls itself “{view.originName}”</span>}
    </div>
  );
}

/**
 * Approve / reject buttons. A site has one approval window with its requests queued inside: after an
 * answer the window shows the site's next request, or closes when there is none (in a tab: home).
 * Approve arms only once the window has been visible and focused for a moment (arming.ts).
 */
export function Decision({ approveLabel, onApprove, canApprove = true, id }: { approveLabel: string; onApprove: () => Promise<unknown>; canApprove?: boolean; id: string }) {
  const queue = useContext(SiteQueue);
  const armed = useArmed();
  const waiting = queue ? queue.state.requests.filter((r) => r.origin === queue.origin && r.id !== queue.id) : [];
  const done = () => (waiting.length ? go(waiting[0].kind, waiting[0].id) : go('home'));
  const approve = useAction(async () => {
    if (!armed) return; // a click that raced the arming delay is ignored
    await onApprove();
    done();
  });
  const reject = useAction(async () => {
    await sendMessage('pri(requests.reject)', { id });
    done();
  });
  return (
    <div class="decision">
      <ErrorNote error={approve.error ?? reject.error} />
      {waiting.length > 0 && <p class="muted" data-testid="site-queue">{waiting.length} more request{waiting.length > 1 ? 's' : ''} from this site after this one</p>}
      <div class="row">
        <Button kind="secondary" data-testid="reject" busy={reject.busy} onClick={() => void reject.run()}>Reject</Button>
        <Button data-testid="approve" data-armed={armed} busy={approve.busy} disabled={!canApprove || !armed} onClick={() => void approve.run()}>{approveLabel}</Button>
      </div>
    </div>
  );
}
