/** What the user does with a waiting request: look at it, approve it, reject it, cancel it. */
import { hexToNumber } from '@polkadot/util';
import { WalletError } from '../../messages/errors';
import { isSecretRequestKind, type RequestView } from '../../messages/types';
import type { Accounts } from '../accounts/service';
import type { ChainAccess } from '../chain/client';
import type { MetadataStore } from '../metadata/store';
import type { PendingSecretRequest, SecretRequests } from '../secret/requests';
import type { Authorization } from '../sites/service';
import { cancelled, rejected, type PendingRequest, type RequestQueue } from './queue';
import type { KeyringPair } from '@polkadot/keyring/types';
import type { SignatureResponse } from '../../messages/registry';
import { payloadToSign } from './metadata-mode';
import { checkPayload } from './payload-check';
import { describePayload, readableText, signedTransaction, signPayload, signRaw } from './signing';

export class Approvals {
  readonly #queue: RequestQueue;
  readonly #accounts: Accounts;
  readonly #authorization: Authorization;
  readonly #metadata: MetadataStore;
  readonly #chain: ChainAccess;
  readonly #secret: SecretRequests;

  constructor(deps: {
    queue: RequestQueue; accounts: Accounts; authorization: Authorization; metadata: MetadataStore; chain: ChainAccess; secret: SecretRequests;
  }) {
    this.#queue = deps.queue;
    this.#accounts = deps.accounts;
    this.#authorization = deps.authorization;
    this.#metadata = deps.metadata;
    this.#chain = deps.chain;
    this.#secret = deps.secret;
  }

  async view(id: string): Promise<RequestView> {
    const r = await this.#queue.get(id);
    const base = { id: r.id, origin: r.origin, originName: r.originName, createdAt: r.createdAt };
    switch (r.kind) {
      case 'authorize':
        return { ...base, kind: r.kind, url: r.url };
      case 'signRaw':
        return { ...base, kind: r.kind, address: r.payload.address, accountName: await this.#name(r.payload.address), data: r.payload.data, text: readableText(r.payload.data) };
      case 'signPayload': {
        const { known, call, metadataHash } = await this.#checked(r);
        return {
          ...base,
          kind: r.kind,
          address: r.payload.address,
          accountName: await this.#name(r.payload.address),
          chain: known.chain,
          call,
          ...describePayload(r.payload, known.registry),
          metadataHash,
          refusal: await this.#fundsRefusal(r),
        };
      }
      case 'metadata': {
        const known = await this.#metadata.get(r.payload.genesisHash);
        const { chain, genesisHash, specVersion, tokenSymbol, tokenDecimals, ss58Format } = r.payload;
        return { ...base, kind: r.kind, chain, genesisHash, specVersion, tokenSymbol, tokenDecimals, ss58Format, knownSpecVersion: known?.specVersion ?? null };
      }
      default:
        return this.#secret.view(r);
    }
  }

  /**
   * Signs (or stores metadata, or sends the secret operation) and answers the dApp. A locked wallet signs
   * nothing: `Locked`, and the request stays. `chosen` picks the account of a secret operation the
   * site left to the user.
   */
  async approve(id: string, chosen?: string): Promise<void> {
    const r = await this.#queue.get(id);
    if (r.kind === 'authorize') throw new WalletError('InvalidInput', 'Choose the accounts to share with this site, then approve.');
    if (isSecret(r)) {
      await this.#secret.approve(r, chosen);
      return;
    }
    if (r.kind === 'metadata') {
      await this.#metadata.save(r.payload);
      await this.#queue.resolve(id, true);
      return;
    }
    const address = await this.#stillAllowed(r);
    const pair = await this.#accounts.pair(address);
    const signed = r.kind === 'signRaw' ? { signature: signRaw(pair, r.payload) } : await this.#signPayload(r, pair);
    await this.#queue.resolve(id, { id, ...signed });
  }

  /**
   * Signs a payload as its approval view showed it: re-checked (the chain's metadata may have changed
   * meanwhile), never when the balances show it must fail, with mode 1 and the metadata hash when the
   * wallet adds them — then with the signed transaction for the site to submit.
   */
  async #signPayload(r: PendingRequest & { kind: 'signPayload' }, pair: KeyringPair): Promise<Omit<SignatureResponse, 'id'>> {
    const { known, metadataHash } = await this.#checked(r);
    const refusal = await this.#fundsRefusal(r);
    if (refusal) throw new WalletError('InvalidInput', `${refusal} Reject the request, or add funds first.`);
    try {
      const payload = payloadToSign(r.payload, metadataHash);
      const signature = signPayload(pair, payload, await this.#metadata.get(r.payload.genesisHash, hexToNumber(r.payload.specVersion)));
      return metadataHash.mode === 1 && metadataHash.byWallet
        ? { signature, signedTransaction: signedTransaction(known.registry, payload, signature) }
        : { signature };
    } catch {
      const e = new WalletError('InvalidInput', 'Dark Wallet could not encode this request for signing, so it was refused. Ask the site to send it again.');
      await this.#queue.reject(r.id, e);
      throw e;
    }
  }

  /** Why the transaction must fail for want of public funds (fee included), when the wallet can tell. */
  #fundsRefusal(r: PendingRequest & { kind: 'signPayload' }): Promise<string | null> {
    return this.#chain.publicFundsRefusal(r.payload.genesisHash, r.payload.address, r.payload.method);
  }

  approveAuthorize(id: string, addresses: string[]): Promise<void> {
    return this.#authorization.approve(id, addresses);
  }

  async reject(id: string): Promise<void> {
    const r = await this.#queue.get(id);
    if (r.kind === 'authorize') await this.#authorization.reject(id);
    else await this.#queue.reject(id, rejected());
  }

  async cancel(id: string): Promise<void> {
    await this.#queue.get(id);
    await this.#queue.reject(id, cancelled());
  }

  /** Access may have been revoked while the request waited. */
  async #stillAllowed(r: PendingRequest & { kind: 'signRaw' | 'signPayload' }): Promise<string> {
    try {
      return await this.#authorization.allowedAddress(r.origin, r.payload.address);
    } catch (e) {
      await this.#queue.reject(r.id, e as WalletError);
      throw e;
    }
  }

  /** A payload that no longer decodes (metadata replaced, chain switched) is refused, never signed. */
  async #checked(r: PendingRequest & { kind: 'signPayload' }) {
    try {
      return await checkPayload(r.payload, this.#metadata, this.#chain);
    } catch (e) {
      if (e instanceof WalletError && e.code === 'InvalidInput') await this.#queue.reject(r.id, e);
      throw e;
    }
  }

  async #name(address: string): Promise<string> {
    return (await this.#accounts.find(address))?.name ?? 'Unknown account';
  }
}

const isSecret = (r: { kind: string }): r is PendingSecretRequest => isSecretRequestKind(r.kind);
