/** `#/secret/<screen>/<address>`: the secret-asset screens. */
import type { WalletState } from '../../messages/types';
import { ConvertToPublic, ConvertToSecret, IssueToken, SecretTransfer } from './Forms';
import { History } from './History';

export function SecretRoute({ screen, address, state }: { screen: string | undefined; address: string | undefined; state: WalletState }) {
  const a = address ?? state.accounts[0]?.address ?? '';
  switch (screen) {
    case 'to-secret':
      return <ConvertToSecret key={a} address={a} state={state} />;
    case 'to-public':
      return <ConvertToPublic key={a} address={a} state={state} />;
    case 'transfer':
      return <SecretTransfer key={a} address={a} state={state} />;
    case 'issue':
      return <IssueToken key={a} address={a} state={state} />;
    default:
      return <History key={a} address={a} state={state} />;
  }
}
