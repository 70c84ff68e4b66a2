/**
 * A typed value under one key of a storage area, with serialised read-modify-write so two handlers
 * running at once never lose each other's update. `parse` validates what comes back from storage:
 * anything unexpected (corruption, an older layout) is turned into a valid value there — that is
 * where migrations belong.
 */

/** The part of `browser.storage.local` / `.session` we use; an in-memory fake implements it in tests. */
export interface StorageArea {
  get(keys: string | string[]): Promise<Record<string, unknown>>;
  set(items: Record<string, unknown>): Promise<void>;
  remove(keys: string | string[]): Promise<void>;
}

export class Store<T> {
  readonly #area: StorageArea;
  readonly #key: string;
  readonly #parse: (raw: unknown) => T;
  #tail: Promise<unknown> = Promise.resolve();

  constructor(area: StorageArea, key: string, parse: (raw: unknown) => T) {
    this.#area = area;
    this.#key = key;
    this.#parse = parse;
  }

  get(): Promise<T> {
    return this.#serial(() => this.#read());
  }

  /** Applies `fn` to the current value and stores its result; resolves to the stored value. */
  update(fn: (current: T) => T): Promise<T> {
    return this.#serial(async () => {
      const next = fn(await this.#read());
      await this.#area.set({ [this.#key]: next });
      return next;
    });
  }

  set(value: T): Promise<T> {
    return this.update(() => value);
  }

  clear(): Promise<void> {
    return this.#serial(() => this.#area.remove(this.#key));
  }

  async #read(): Promise<T> {
    const raw = (await this.#area.get(this.#key))[this.#key];
    return this.#parse(raw);
  }

  #serial<R>(op: () => Promise<R>): Promise<R> {
    const run = this.#tail.then(op, op);
    this.#tail = run.catch(() => undefined);
    return run;
  }
}

/** Small guards for `parse` functions. */
export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
export const isStringArray = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
