/** Grants a view permit: the auditor's address, the assets, balances and/or history, and how many blocks it lasts. */
import { useState } from 'preact/hooks';
import type { PermitView, SecretAssetView } from '../../messages/types';
import { Button, ErrorNote, Field, Form } from '../components/Form';
import { useAction } from '../hooks';
import { sendMessage } from '../messaging';
import { addressProblem, checkAddress } from '../address/ss58';

/** About a week of 6-second blocks. */
const DEFAULT_BLOCKS = '100000';

export function PermitGrantForm({ address, assets, block, onGranted }: {
  address: string; assets: SecretAssetView[]; block: number | null; onGranted: (p: PermitView) => void;
}) {
  const [name, setName] = useState('');
  const [auditor, setAuditor] = useState('');
  const [chosen, setChosen] = useState<number[]>([]);
  const [balances, setBalances] = useState(true);
  const [history, setHistory] = useState(false);
  const [blocks, setBlocks] = useState(DEFAULT_BLOCKS);
  const problem = addressProblem(checkAddress(auditor));
  const grant = useAction(async () => {
    onGranted(await sendMessage('pri(permits.grant)', { address, name: name.trim(), auditor: auditor.trim(), assets: chosen, balances, history, blocks }));
    setName('');
    setAuditor('');
    setChosen([]);
  });
  const toggle = (id: number, on: boolean) => setChosen(on ? [...chosen, id] : chosen.filter((a) => a !== id));
  const until = /^\d+$/.test(blocks.trim()) && block !== null ? `until block #${(block + Number(blocks)).toLocaleString('en-US')}` : 'blocks';
  return (
    <Form onSubmit={() => void grant.run()}>
      <h3>Grant a permit</h3>
      <Field label="Name" testid="permit-name" value={name} onInput={setName} placeholder="Tax 2026" />
      <Field label="Auditor's address" testid="permit-auditor" value={auditor} onInput={setAuditor} placeholder="5…" />
      {problem && <small class="field-problem" data-testid="permit-auditor-problem">{problem}</small>}
      <fieldset class="permit-choices">
        <legend>Assets the auditor may read</legend>
        {assets.map((a) => (
          <label class="check small" key={a.id}>
            <input type="checkbox" data-testid={`permit-asset-${a.symbol}`} checked={chosen.includes(a.id)} onChange={(e) => toggle(a.id, e.currentTarget.checked)} />
            {a.symbol}
          </label>
        ))}
      </fieldset>
      <fieldset class="permit-choices">
        <legend>What the auditor may read</legend>
        <label class="check small"><input type="checkbox" data-testid="permit-balances" checked={balances} onChange={(e) => setBalances(e.currentTarget.checked)} />Balances</label>
        <label class="check small"><input type="checkbox" data-testid="permit-history" checked={history} onChange={(e) => setHistory(e.currentTarget.checked)} />History</label>
      </fieldset>
      <Field label="Lasts (blocks)" testid="permit-blocks" value={blocks} onInput={setBlocks} hint={`Readable ${until}; about 14,400 blocks a day at 6 s a block.`} />
      <ErrorNote error={grant.error} />
      <Button type="submit" data-testid="permit-grant" busy={grant.busy}
        disabled={!name.trim() || checkAddress(auditor) !== 'valid' || chosen.length === 0 || (!balances && !history)}>Grant permit</Button>
    </Form>
  );
}
