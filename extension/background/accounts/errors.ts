import { WalletError } from '../../messages/errors';

export const locked = () => new WalletError('Locked', 'Dark Wallet is locked. Unlock it with your password and try again.');
export const unknownAccount = () => new WalletError('UnknownAccount', 'This account is not in Dark Wallet. Choose another account.');
