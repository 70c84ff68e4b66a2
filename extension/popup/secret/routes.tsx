/** `#/secret/<screen>/<address>[/<item>]`: the secret-asset screens. */
import type { WalletState } from '../../messages/types';
import { ConvertToPublic, ConvertToSecret, IssueToken, SecretTransfer } from './Forms';
import { AssetDetails } from './AssetDetails';
import { History } from './History';
import { Permits } from './Permits';

export function SecretRoute({ screen, address, item, state }: { screen: string | undefined; address: string | undefined; item: string | undefined; state: WalletState }) {
  const a = address ?? state.accounts[0]?.address ?? '';
  switch (screen) {
    case 'to-secret':
      return <ConvertToSecret key={a} address={a} state={state} />;
    case 'to-public':
      return <ConvertToPublic key={a} address={a} state={state} />;
    case 'transfer':
      return <SecretTransfer key={a} address={a} state={state} />;
    case 'asset':
      return <AssetDetails key={`${a}/${item}`} address={a} assetId={Number(item)} state={state} />;
    case 'issue':
      return <IssueToken key={a} address={a} state={state} />;
    case 'permits':
      return <Permits key={a} address={a} state={state} />;
    default:
      return <History key={a} address={a} state={state} />;
  }
}
