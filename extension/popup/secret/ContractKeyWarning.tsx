/**
 * The blocking warning shown when the contract pin stopped secret operations: what changed, in plain
 * words, and — for a changed key only — the one way forward, an explicit "Trust the new key" that
 * makes the background verify and pin it again. A removed measurement offers no such button.
 */
import { useState } from 'preact/hooks';
import type { ContractPinWarningView } from '../../messages/types';
import { Button, ErrorNote } from '../components/Form';
import { sendMessage } from '../messaging';

const short = (hex: string): string => `${hex.slice(0, 10)}…${hex.slice(-8)}`;

export function ContractKeyWarning({ pin, onAccepted }: { pin: ContractPinWarningView; onAccepted: () => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const since = new Date(pin.pinned.pinnedAt).toLocaleString();
  const accept = async (ecdhPub: string) => {
    setBusy(true);
    setError(null);
    try {
      await sendMessage('pri(dark.acceptContractKey)', { ecdhPub });
      onAccepted();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div class="notice warn pin-warning" role="alert" data-testid="contract-key-warning" data-reason={pin.reason}>
      {pin.reason === 'keyChanged' ? (
        <>
          <strong>The secret-asset contract's key has changed</strong>
          <p>
            Since {since}, Dark Wallet has sealed your secret operations to one attested key. The chain endpoint now
            names a different key. That happens when the endpoint you use lies to you, or when the contract was
            replaced. Until you decide, Dark Wallet seals and sends nothing, and refuses every secret request.
          </p>
          <dl class="pin-keys">
            <dt>Key you trusted</dt><dd data-testid="pinned-key"><code>{short(pin.pinned.ecdhPub)}</code></dd>
            {pin.seen && <><dt>Key named now</dt><dd data-testid="seen-key"><code>{short(pin.seen.ecdhPub)}</code></dd></>}
          </dl>
          <p>Accept the new key only if the contract's operators told you it would change. Otherwise check the chain endpoint in Settings.</p>
          {pin.seen && (
            <Button kind="danger" busy={busy} data-testid="accept-contract-key" onClick={() => void accept(pin.seen!.ecdhPub)}>
              Trust the new key
            </Button>
          )}
          <ErrorNote error={error} />
        </>
      ) : (
        <>
          <strong>The worker's code is no longer allowed</strong>
          <p>
            The chain's governance removed the code measurement of the enclave that holds the secret-asset contract's key
            (<code>{short(pin.pinned.measurement)}</code>). Dark Wallet seals and sends nothing to it and refuses every
            secret request until governance allows that code again. Your secret balances are not lost.
          </p>
        </>
      )}
    </div>
  );
}
