/**
 * `#/secret/asset/<address>/<id>`: one secret token — what is public about it (symbol, name, decimals,
 * issuer) and this account's own balance. Never its supply or other holders: the worker tells
 * neither, and the wallet does not try to infer them.
 */
import { displayUnits } from '../../../shared/units';
import type { WalletState } from '../../messages/types';
import { AccountLine, shortAddress } from '../components/Account';
import { Button, Notice } from '../components/Form';
import { Screen } from '../components/Screen';
import { useLoad } from '../hooks';
import { sendMessage } from '../messaging';
import { go } from '../router';

export function AssetDetails({ address, assetId, state }: { address: string; assetId: number; state: WalletState }) {
  const account = state.accounts.find((a) => a.address === address);
  const balances = useLoad(() => sendMessage('pri(dark.balances)', { address }), [address]);
  const asset = balances.value?.find((b) => b.id === assetId);
  const issuerName = asset?.issuer ? state.accounts.find((a) => a.address === asset.issuer)?.name : undefined;
  return (
    <Screen name="secret-asset" title={asset ? `${asset.symbol} — ${asset.name}` : 'Secret asset'} back={['home']}>
      {account && <AccountLine account={account} />}
      {balances.error && <Notice tone="warn">{balances.error}</Notice>}
      {balances.value && !asset && <Notice tone="warn">There is no secret asset #{assetId}.</Notice>}
      {asset && (
        <>
          <dl class="facts" data-testid="asset-details">
            <dt>Your balance</dt>
            <dd data-testid="asset-balance"><strong>{displayUnits(asset.amount, asset.decimals)} {asset.symbol}</strong></dd>
            <dt>Symbol</dt><dd data-testid="asset-symbol">{asset.symbol}</dd>
            <dt>Name</dt><dd>{asset.name}</dd>
            <dt>Asset number</dt><dd>#{asset.id}</dd>
            <dt>Decimals</dt><dd data-testid="asset-decimals">{asset.decimals}</dd>
            <dt>Issuer</dt>
            <dd data-testid="asset-issuer" title={asset.issuer ?? undefined}>
              {asset.issuer ? `${issuerName ? `${issuerName} ` : ''}${shortAddress(asset.issuer)}` : 'None: secret PHA is public PHA held in the contract’s custody'}
            </dd>
          </dl>
          <Notice>The supply and the other holders of a secret token are invisible, to everyone — only each holder can read their own balance.</Notice>
          <Button kind="secondary" data-testid="asset-send" onClick={() => go('secret', 'transfer', address)}>Send {asset.symbol} secretly</Button>
        </>
      )}
    </Screen>
  );
}
