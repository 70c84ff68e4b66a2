/**
 * `#/secret/asset/<address>/<id>`: one secret token — what is public about it (symbol, name, decimals),
 * this account's own balance, and the issuer when this account is it. Never its supply, its other
 * holders, or someone else's token's issuer: the worker tells none of them, and the wallet does not
 * try to infer them.
 */
import { NATIVE_ASSET } from '../../../shared/types';
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
            <dd data-testid="asset-issuer" title={asset.issuer ?? undefined}>{issuerText(asset.id, asset.issuer, account?.name)}</dd>
          </dl>
          <Notice>The supply and the other holders of a secret token are invisible, to everyone — only each holder can read their own balance.</Notice>
          <Button kind="secondary" data-testid="asset-send" onClick={() => go('secret', 'transfer', address)}>Send {asset.symbol} secretly</Button>
        </>
      )}
    </Screen>
  );
}

/** The worker names an issuer only to the issuer itself, so a token of someone else's says just that. */
function issuerText(id: number, issuer: string | null, accountName: string | undefined): string {
  if (id === NATIVE_ASSET) return 'None: secret PHA is public PHA held in the contract’s custody';
  if (issuer) return `You${accountName ? ` (${accountName})` : ''}, ${shortAddress(issuer)} — only you can see this`;
  return 'Not you; who issued it is shown to its issuer only';
}
