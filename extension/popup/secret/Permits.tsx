/**
 * `#/secret/permits/<address>`: the view permits this account issued — whom they let read which
 * assets, until which block — each with its file to hand the auditor and a Revoke (a secret command,
 * confirmed here first). Nothing is sent to grant one.
 */
import { useState } from 'preact/hooks';
import type { PermitView, WalletState } from '../../messages/types';
import { shortAddress } from '../components/Account';
import { Download } from '../components/Download';
import { Button, ErrorNote, Notice } from '../components/Form';
import { RelayNote } from './RelayNote';
import { Screen } from '../components/Screen';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { PermitGrantForm } from './PermitGrantForm';

const STATUS: Record<PermitView['status'], string> = { active: 'Active', expired: 'Expired', revoking: 'Revoking…', revoked: 'Revoked' };

function PermitCard({ p, onChange }: { p: PermitView; onChange: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const revoke = useAction(async () => {
    await sendMessage('pri(permits.revoke)', { id: p.id });
    setConfirming(false);
    onChange();
  });
  const fields = [p.fields.balances ? 'balances' : '', p.fields.history ? 'history' : ''].filter(Boolean).join(' and ');
  return (
    <li class="card permit" data-testid="permit" data-status={p.status}>
      <div class="permit-head"><strong>{p.name}</strong><span class={`badge ${p.status}`} data-testid="permit-status">{STATUS[p.status]}</span></div>
      <p class="muted" data-testid="permit-summary">
        {shortAddress(p.auditor)} may read the {fields} of {p.assets.map((a) => a.symbol).join(', ')}
        {p.status === 'revoked' && p.revokedAtBlock !== null ? `; revoked in block #${p.revokedAtBlock}.` : ` until block #${p.expiresAtBlock.toLocaleString('en-US')}.`}
      </p>
      {p.reason && <Notice tone="warn">{p.reason}</Notice>}
      <ErrorNote error={revoke.error} />
      {confirming ? (
        <div class="confirm" data-testid="permit-revoke-confirm">
          <p>Revoke "{p.name}"? The auditor reads nothing from the next block on. This sends a secret command.</p>
          <RelayNote direct={<p class="muted small">It is signed and sent from this account, which pays the network fee in public PHA.</p>} />
          <div class="row">
            <Button kind="danger" data-testid="permit-revoke-yes" busy={revoke.busy} onClick={() => void revoke.run()}>Revoke</Button>
            <Button kind="ghost" disabled={revoke.busy} onClick={() => setConfirming(false)}>Cancel</Button>
          </div>
        </div>
      ) : (
        <div class="row small">
          <Download text={p.file} type="application/json" fileName={`permit-${p.name.replace(/[^\w-]+/g, '-')}.json`} testid="permit-download">Save permit file</Download>
          {p.status === 'active' && <Button kind="ghost" data-testid="permit-revoke" onClick={() => setConfirming(true)}>Revoke</Button>}
        </div>
      )}
    </li>
  );
}

export function Permits({ address }: { address: string; state: WalletState }) {
  const list = useLoad(() => sendMessage('pri(permits.list)', { address }), [address]);
  const assets = useLoad(() => sendMessage('pri(dark.assets)', null), []);
  const permits = list.value?.permits ?? [];
  return (
    <Screen name="permits" title="View permits" back={['home']}>
      <Notice>A view permit lets one auditor read the assets you choose — balances, history or both — with their own account, until a block or until you revoke it. It can never move funds.</Notice>
      <ErrorNote error={list.error ?? assets.error} />
      {list.value && permits.length === 0 && <p class="muted" data-testid="permits-empty">No permits yet.</p>}
      <ul class="accounts" data-testid="permits">
        {permits.map((p) => <PermitCard key={p.id} p={p} onChange={list.reload} />)}
      </ul>
      {assets.value && <PermitGrantForm address={address} assets={assets.value} block={list.value?.block ?? null} onGranted={list.reload} />}
    </Screen>
  );
}
