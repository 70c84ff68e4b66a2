/**
 * `#/networks`: the networks the wallet knows (keyed by genesis hash), the one in use marked; switch,
 * remove one not in use, or add one by its WebSocket endpoint — the chain itself says its name, token
 * and address format.
 */
import { useState } from 'preact/hooks';
import type { NetworkView } from '../../messages/types';
import { Button, ErrorNote, Field, Form, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { shortAddress } from '../components/short-address';
import { useAction, useLoad } from '../hooks';
import { sendMessage } from '../messaging';

function NetworkCard({ network, active, onSwitch, onRemove }: { network: NetworkView; active: boolean; onSwitch(): void; onRemove(): void }) {
  return (
    <li class={`card network${active ? ' active' : ''}`} data-testid="network" data-genesis={network.genesisHash} data-active={active}>
      <div class="network-head">
        <strong data-testid="network-name">{network.name}</strong>
        {active && <span class="tag" data-testid="network-active">in use</span>}
      </div>
      <dl class="facts small">
        <dt>Token</dt><dd data-testid="network-token">{network.tokenSymbol} · {network.tokenDecimals} decimals</dd>
        <dt>Address format</dt><dd data-testid="network-ss58">{network.ss58Format}</dd>
        <dt>Chain</dt><dd><code data-testid="network-endpoint">{network.chainEndpoint}</code></dd>
        <dt>Worker</dt><dd>{network.workerEndpoint ? <code>{network.workerEndpoint}</code> : "the contract's workers on chain"} · contract {network.contractId}</dd>
        <dt>Genesis</dt><dd><code title={network.genesisHash}>{shortAddress(network.genesisHash)}</code></dd>
      </dl>
      {!active && (
        <div class="row small">
          <Button kind="secondary" data-testid="network-switch" onClick={onSwitch}>Use this network</Button>
          <Button kind="ghost" data-testid="network-remove" onClick={onRemove}>Remove</Button>
        </div>
      )}
    </li>
  );
}

export function NetworksScreen() {
  const list = useLoad(() => sendMessage('pri(networks.list)', null), []);
  const [chainEndpoint, setChainEndpoint] = useState('');
  const [workerEndpoint, setWorkerEndpoint] = useState('');
  const [added, setAdded] = useState<string | null>(null);
  const add = useAction(async () => {
    setAdded(null);
    const network = await sendMessage('pri(networks.add)', { chainEndpoint: chainEndpoint.trim(), workerEndpoint: workerEndpoint.trim() });
    setAdded(`${network.name} (${network.tokenSymbol}) is in the list.`);
    setChainEndpoint('');
    setWorkerEndpoint('');
    list.reload();
  });
  const change = useAction(async (type: 'pri(networks.switch)' | 'pri(networks.remove)', genesisHash: string) => {
    await sendMessage(type, { genesisHash });
    list.reload();
  });
  const view = list.value;
  return (
    <Screen name="networks" title="Networks" back={['home']}>
      <ErrorNote error={list.error ?? change.error} />
      {view && view.networks.length === 0 && (
        <Notice testid="networks-empty">No network yet: Dark Wallet records the chain at the endpoint in Settings once it answers.</Notice>
      )}
      <ul class="accounts" data-testid="networks">
        {view?.networks.map((n) => (
          <NetworkCard key={n.genesisHash} network={n} active={n.genesisHash === view.active}
            onSwitch={() => void change.run('pri(networks.switch)', n.genesisHash)}
            onRemove={() => void change.run('pri(networks.remove)', n.genesisHash)} />
        ))}
      </ul>
      <section class="section">
        <h2>Add a network</h2>
        <Form onSubmit={() => void add.run()}>
          <Field label="Chain endpoint" testid="new-network-endpoint" value={chainEndpoint} onInput={setChainEndpoint} placeholder="wss://…"
            hint="Dark Wallet connects and reads the chain's name, token and address format from it." />
          <Field label="Worker endpoint (optional)" testid="new-network-worker" value={workerEndpoint} onInput={setWorkerEndpoint} placeholder="https://…"
            hint="The confidential worker for this chain's secret assets; change it later in Settings." />
          <ErrorNote error={add.error} />
          {added && <Notice tone="ok" testid="network-added">{added}</Notice>}
          <Button type="submit" kind="secondary" data-testid="new-network-add" busy={add.busy} disabled={!chainEndpoint.trim()}>Add network</Button>
        </Form>
      </section>
    </Screen>
  );
}
