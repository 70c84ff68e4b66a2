/** Change notifications between domains, so stores need not know who shows their data. */
/** `secret`: a followed secret operation changed status. `network`: a network was added, adopted, switched or removed. */
export type ChangeTopic = 'accounts' | 'lock' | 'sites' | 'requests' | 'secret' | 'network';

export class Changes {
  readonly #listeners = new Set<(topic: ChangeTopic) => void>();

  on(listener: (topic: ChangeTopic) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  emit(topic: ChangeTopic): void {
    for (const l of this.#listeners) l(topic);
  }
}
