/**
 * How a secret operation leaves the wallet on this network, said before it is sent: through the
 * network's relayer (its fee in secret PHA; no public balance needed, the account not on chain), or
 * from the account itself (`direct`). A relayer that does not answer is a warning: nothing is then
 * sent, and never directly instead.
 */
import type { ComponentChildren } from 'preact';
import type { RelayFeeView } from '../../messages/types';
import { Notice } from '../components/Form';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';

export function relayText(relay: RelayFeeView): string {
  return `Sent through the relayer at ${relay.endpoint}, which pays the chain's fee: you pay it ${relay.feeText} from your secret balance. This account needs no public balance and does not appear on the chain.`;
}

export function RelayNote({ direct }: { direct: ComponentChildren }) {
  const status = useLoad(() => sendMessage('pri(dark.status)', null), []);
  const s = status.value;
  if (!s) return null;
  if (s.relay) return <Notice testid="relay-note">{relayText(s.relay)}</Notice>;
  if (s.relayEndpoint !== null && s.relayMessage) return <Notice tone="warn" testid="relay-warning">{s.relayMessage}</Notice>;
  return <>{direct}</>;
}
