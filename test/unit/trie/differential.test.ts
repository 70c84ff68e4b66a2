/**
 * The shared trie against Substrate's own (smoldot's trie in wasm): the same roots for random key
 * sets and random insert/delete histories in both layouts, proofs each side makes verify on the
 * other, absence is provable, and an altered proof proves nothing.
 */
import { blake2b } from '@noble/hashes/blake2.js';
import fc from 'fast-check';
import { BadProof, compactIndexKey, orderedTrieRoot, Trie, trieRoot, verifyReadProof, type TrieVersion } from '../../../shared/trie';
import { referenceDecode, referenceProof, referenceRoot } from '../../helpers/reference-trie';

const hex = (b: Uint8Array): string => `0x${Buffer.from(b).toString('hex')}`;
const VERSIONS: TrieVersion[] = [0, 1];

// Keys share long prefixes (as storage keys do: twox128(pallet) ++ twox128(item) ++ hashed key),
// and suffixes drawn from few byte values so neighbours part at every depth.
// The longest puts partial keys past 318 nibbles, where the header takes a second length byte of 255.
const PREFIXES = [new Uint8Array(0), Uint8Array.of(0x26, 0xaa), new Uint8Array(32).fill(0x5c), new Uint8Array(100).fill(0xe7), new Uint8Array(300).fill(0x11)];
const keyArb = fc
  .tuple(
    fc.constantFrom(...PREFIXES),
    fc.oneof(fc.uint8Array({ max: 3, maxLength: 6 }), fc.uint8Array({ maxLength: 40 })),
  )
  .map(([prefix, suffix]) => hex(Uint8Array.from([...prefix, ...suffix])));
// Values around the 32/33-byte line where layout 1 starts storing them by hash, empty ones included.
const valueArb = fc.oneof(
  fc.constantFrom(0, 1, 31, 32, 33, 34).chain((n) => fc.uint8Array({ minLength: n, maxLength: n })),
  fc.uint8Array({ maxLength: 120 }),
);
const entriesArb = (minLength = 0) =>
  fc.array(fc.tuple(keyArb, valueArb), { minLength, maxLength: 40 }).map((pairs) => new Map(pairs));

test('random key sets: the same root as Substrate in both state versions', async () => {
  await fc.assert(
    fc.asyncProperty(entriesArb(), async (entries) => {
      for (const version of VERSIONS) expect(hex(trieRoot(entries, version))).toBe(await referenceRoot(entries, version));
    }),
    { numRuns: 200 },
  );
});

test('random insert/delete histories: incremental roots match Substrate, and earlier versions stay as they were', async () => {
  const historyArb = fc.array(keyArb, { minLength: 1, maxLength: 12 }).chain((pool) =>
    fc.array(fc.tuple(fc.nat(pool.length - 1), fc.option(valueArb, { freq: 3 })), { maxLength: 60 }).map((ops) =>
      ops.map(([i, value]) => [pool[i], value] as const)),
  );
  await fc.assert(
    fc.asyncProperty(historyArb, fc.constantFrom(...VERSIONS), async (ops, version) => {
      const model = new Map<string, Uint8Array>();
      let trie = Trie.empty(version);
      const kept: Array<{ trie: Trie; root: string; entries: Map<string, Uint8Array> }> = [];
      for (const [key, value] of ops) {
        trie = trie.with([[key, value]]);
        if (value === null) model.delete(key);
        else model.set(key, value);
        kept.push({ trie, root: hex(trie.rootHash()), entries: new Map(model) });
      }
      expect(hex(trie.rootHash())).toBe(await referenceRoot(model, version));
      for (const { trie: old, root, entries } of kept.filter((_, i) => i % 7 === 0)) {
        expect(hex(old.rootHash())).toBe(root);
        expect(root).toBe(await referenceRoot(entries, version));
        for (const [key, value] of entries) expect(old.get(key)).toEqual(value);
      }
    }),
    { numRuns: 120 },
  );
});

test('random histories applied in batches (one update edits its own nodes in place): each batch\'s root matches Substrate, earlier versions unchanged', async () => {
  // Several changes per update, the same key set, deleted and set again within one, over keys that
  // split and merge each other's paths.
  const batchesArb = fc.array(keyArb, { minLength: 1, maxLength: 16 }).chain((pool) =>
    fc.array(fc.array(fc.tuple(fc.nat(pool.length - 1), fc.option(valueArb, { freq: 3 })), { minLength: 1, maxLength: 12 }), { minLength: 1, maxLength: 8 }).map((batches) =>
      batches.map((ops) => ops.map(([i, value]) => [pool[i], value] as const))),
  );
  await fc.assert(
    fc.asyncProperty(batchesArb, fc.constantFrom(...VERSIONS), fc.boolean(), async (batches, version, hashEach) => {
      const model = new Map<string, Uint8Array>();
      let trie = Trie.empty(version);
      const kept: Array<{ trie: Trie; root: string }> = [];
      for (const ops of batches) {
        trie = trie.with(ops);
        for (const [key, value] of ops) {
          if (value === null) model.delete(key);
          else model.set(key, value);
        }
        // Hashing each version or only some: a branch may replace one that was never encoded.
        if (hashEach || kept.length % 2 === 1) {
          const root = hex(trie.rootHash());
          expect(root).toBe(await referenceRoot(model, version));
          kept.push({ trie, root });
        } else kept.push({ trie, root: await referenceRoot(model, version) });
        for (const [key, value] of model) expect(trie.get(key)).toEqual(value);
      }
      for (const { trie: old, root } of kept) expect(hex(old.rootHash())).toBe(root);
    }),
    { numRuns: 150 },
  );
});

test('released versions give their nodes back: the versions still held keep their roots, values and proofs while later updates reuse the memory', async () => {
  // Long histories (past the arena's first collection) where each version is released a few updates
  // later, except some kept to the end; merges and splits keep moving nodes between versions.
  const historyArb = fc.array(keyArb, { minLength: 8, maxLength: 24 }).chain((pool) =>
    fc.array(fc.array(fc.tuple(fc.nat(pool.length - 1), fc.option(valueArb, { freq: 3 })), { minLength: 1, maxLength: 12 }), { minLength: 400, maxLength: 600 }).map((batches) =>
      batches.map((ops) => ops.map(([i, value]) => [pool[i], value] as const))),
  );
  await fc.assert(
    fc.asyncProperty(historyArb, fc.constantFrom(...VERSIONS), fc.nat(), async (batches, version, seed) => {
      const model = new Map<string, Uint8Array>();
      let trie = Trie.empty(version);
      const held: Array<{ trie: Trie; root: string; entries: Map<string, Uint8Array> }> = [];
      const released: Trie[] = [];
      for (const [n, ops] of batches.entries()) {
        trie = trie.with(ops);
        for (const [key, value] of ops) {
          if (value === null) model.delete(key);
          else model.set(key, value);
        }
        held.push({ trie, root: hex(trie.rootHash()), entries: new Map(model) });
        // Release the version from three updates ago, unless the seed keeps it.
        if (held.length > 3 && (seed >> n % 30) % 5 !== 0) {
          const old = held.splice(held.length - 4, 1)[0].trie;
          old.release();
          released.push(old);
        }
      }
      for (const { trie: old, root, entries } of held) {
        expect(hex(old.rootHash())).toBe(root);
        for (const [key, value] of entries) expect(old.get(key)).toEqual(value);
        const keys = [...entries.keys()];
        expect(verifyReadProof(old.rootHash(), old.readProof(keys), keys)).toEqual(new Map(keys.map((k) => [k, entries.get(k)!])));
      }
      expect(hex(held.at(-1)!.trie.rootHash())).toBe(await referenceRoot(model, version));
      for (const old of released.slice(0, 3)) expect(() => old.get(batches[0][0][0])).toThrow('released');
    }),
    { numRuns: 8 },
  );
});

test('a chain of versions each released after the next: the memory is reused, and the versions held stay whole', async () => {
  const keys = Array.from({ length: 3000 }, (_, i) => hex(blake2b(Uint8Array.of(i >> 8, i & 0xff), { dkLen: 40 })));
  const model = new Map(keys.map((k, i) => [k, blake2b(Uint8Array.of(i), { dkLen: 40 + (i % 3) })] as const));
  let trie = Trie.empty(1).with(model);
  const whole = trie.storedNodes;
  const held: Array<{ trie: Trie; root: string; entries: Map<string, Uint8Array> }> = [];
  for (let n = 0; n < 200; n++) {
    const ops = Array.from({ length: 60 }, (_, i) => {
      const key = keys[(n * 7919 + i * 104729) % keys.length];
      return [key, i % 9 === 0 ? null : blake2b(Uint8Array.of(n, i), { dkLen: 20 + (i % 30) })] as const;
    });
    const previous = trie;
    trie = trie.with(ops);
    for (const [key, value] of ops) {
      if (value === null) model.delete(key);
      else model.set(key, value);
    }
    const root = hex(trie.rootHash());
    // Every 100th version is held to the end (each keeps what differs from the head: most of a
    // trie after 100 updates); the others are released once the next one exists.
    if (n % 100 === 0) held.push({ trie, root, entries: new Map(model) });
    if ((n - 1) % 100 !== 0) previous.release();
  }
  // Kept all, the 200 updates of 60 keys would hold some 8 tries' worth of nodes; the head and the
  // two held versions are at most 3, plus what awaits the next collection (about as much as is alive).
  expect(trie.storedNodes).toBeLessThan(5 * whole);
  expect(hex(trie.rootHash())).toBe(await referenceRoot(model, 1));
  for (const { trie: old, root, entries } of held) {
    expect(hex(old.rootHash())).toBe(root);
    expect(root).toBe(await referenceRoot(entries, 1));
    const sample = keys.filter((_, i) => i % 50 === 0);
    expect(verifyReadProof(old.rootHash(), old.readProof(sample), sample)).toEqual(new Map(sample.map((k) => [k, entries.get(k) ?? null])));
  }
});

test('keys come back sorted, filtered by prefix and paged after a start key (state_getKeysPaged)', () => {
  fc.assert(
    fc.property(entriesArb(), fc.constantFrom('0x', '0x26aa', `0x${'5c'.repeat(32)}`), fc.integer({ min: 1, max: 10 }), (entries, prefix, page) => {
      const trie = Trie.empty(1).with(entries);
      const expected = [...entries.keys()].filter((k) => k.startsWith(prefix)).sort();
      const paged: string[] = [];
      for (let start: string | null = null; ;) {
        const next = trie.keys(prefix, page, start);
        paged.push(...next);
        if (next.length < page) break;
        start = next[next.length - 1];
      }
      expect(paged).toEqual(expected);
    }),
    { numRuns: 200 },
  );
});

/** Some keys of `entries` and some keys it does not hold. */
const queryArb = (entries: Map<string, Uint8Array>) =>
  fc.tuple(fc.subarray([...entries.keys()]), fc.array(keyArb, { maxLength: 4 })).map(([present, others]) => [
    ...present,
    ...others.filter((k) => !entries.has(k)),
  ]);

test('our proofs decode with Substrate\'s decoder and verify with ours, absent keys as absent', async () => {
  await fc.assert(
    fc.asyncProperty(
      entriesArb(1).chain((entries) => fc.tuple(fc.constant(entries), queryArb(entries), fc.constantFrom(...VERSIONS))),
      async ([entries, keys, version]) => {
        const trie = Trie.empty(version).with(entries);
        const proof = trie.readProof(keys);
        const ours = verifyReadProof(trie.rootHash(), proof, keys);
        const theirs = await referenceDecode(trie.rootHash(), proof);
        for (const key of keys) {
          const value = entries.get(key) ?? null;
          expect(ours.get(key)).toEqual(value);
          expect(theirs.get(key)).toBe(value === null ? undefined : hex(value));
        }
      },
    ),
    { numRuns: 150 },
  );
});

test('Substrate\'s proofs verify with ours, against the root of the same entries', async () => {
  await fc.assert(
    fc.asyncProperty(entriesArb(1).chain((entries) => fc.tuple(fc.constant(entries), queryArb(entries))), async ([entries, keys]) => {
      const { root, nodes } = await referenceProof(entries);
      expect(hex(root)).toBe(hex(trieRoot(entries, 0)));
      const ours = verifyReadProof(root, nodes, [...entries.keys(), ...keys]);
      for (const [key, value] of ours) expect(value).toEqual(entries.get(key) ?? null);
    }),
    { numRuns: 150 },
  );
});

test('an altered proof proves nothing false: every flipped byte and every dropped node fails or changes nothing', () => {
  fc.assert(
    fc.property(
      entriesArb(2).chain((entries) => fc.tuple(fc.constant(entries), queryArb(entries), fc.constantFrom(...VERSIONS), fc.integer({ min: 1, max: 255 }))),
      ([entries, keys, version, mask]) => {
        const trie = Trie.empty(version).with(entries);
        const proof = trie.readProof(keys);
        const honest = verifyReadProof(trie.rootHash(), proof, keys);
        const check = (altered: Uint8Array[]) => {
          try {
            expect(verifyReadProof(trie.rootHash(), altered, keys)).toEqual(honest);
          } catch (e) {
            expect(e).toBeInstanceOf(BadProof);
          }
        };
        proof.forEach((node, i) => {
          for (let at = 0; at < node.length; at++) {
            const flipped = node.slice();
            flipped[at] ^= mask;
            check(proof.map((n, j) => (j === i ? flipped : n)));
          }
          check(proof.filter((_, j) => j !== i));
        });
      },
    ),
    { numRuns: 25 },
  );
});

test('every node of our proof is needed: flipping any byte of it or dropping it is refused', () => {
  const entries = new Map(Array.from({ length: 300 }, (_, i) => [hex(Uint8Array.of(0x26, i & 0xff, i >> 8, 7)), new Uint8Array(40).fill(i & 0xff)] as const));
  const trie = Trie.empty(1).with(entries);
  const keys = [hex(Uint8Array.of(0x26, 5, 0, 7)), hex(Uint8Array.of(0x26, 5, 0, 8))]; // one present, one absent
  const proof = trie.readProof(keys);
  expect(verifyReadProof(trie.rootHash(), proof, keys)).toEqual(new Map([[keys[0], new Uint8Array(40).fill(5)], [keys[1], null]]));
  proof.forEach((node, i) => {
    expect(() => verifyReadProof(trie.rootHash(), proof.filter((_, j) => j !== i), keys)).toThrow(BadProof);
    for (let at = 0; at < node.length; at++) {
      const flipped = node.slice();
      flipped[at] ^= 0x80;
      expect(() => verifyReadProof(trie.rootHash(), proof.map((n, j) => (j === i ? flipped : n)), keys)).toThrow(BadProof);
    }
  });
});

test('bad input and malformed nodes are typed refusals', () => {
  const trie = Trie.empty(1).with([['0x01', Uint8Array.of(1)]]);
  const reason = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      if (e instanceof BadProof) return e.reason;
      throw e;
    }
    return 'verified';
  };
  expect(reason(() => verifyReadProof(new Uint8Array(31), trie.readProof(['0x01']), ['0x01']))).toBe('bad-input');
  expect(reason(() => verifyReadProof(trie.rootHash(), trie.readProof(['0x01']), ['0x0g']))).toBe('bad-input');
  expect(reason(() => verifyReadProof(trie.rootHash(), [], ['0x01']))).toBe('missing-node');
  // Each of these hashes to the root it is given, but is no valid node: unknown header, a branch
  // without children, cut short, nonzero padding nibble, trailing bytes.
  const garbage = [[0x01], [0x80, 0, 0], [0x41], [0x41, 0x10, 4, 1], [0x42, 0x10, 4, 1, 0]].map((b) => Uint8Array.from(b));
  for (const node of garbage) expect(reason(() => verifyReadProof(blake2b(node, { dkLen: 32 }), [node], ['0x01']))).toBe('malformed-node');
  expect(reason(() => verifyReadProof(blake2b(Uint8Array.of(0x42, 0x10, 4, 1), { dkLen: 32 }), [Uint8Array.of(0x42, 0x10, 4, 1)], ['0x10']))).toBe('verified');
});

test('the empty trie has Substrate\'s empty root and proves every key absent', async () => {
  const empty = Trie.empty(1);
  expect(hex(empty.rootHash())).toBe(await referenceRoot([], 1));
  expect(hex(empty.rootHash())).toBe('0x03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314');
  expect(verifyReadProof(empty.rootHash(), empty.readProof(['0x00']), ['0x00', '0x1234'])).toEqual(new Map([['0x00', null], ['0x1234', null]]));
});

test('the ordered trie root (extrinsics root) is Substrate\'s root of (compact index, item)', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(valueArb, { maxLength: 80 }), async (items) => {
      const pairs = items.map((item, i) => [compactIndexKey(i), item] as const);
      expect(hex(orderedTrieRoot(items))).toBe(await referenceRoot(pairs, 0));
    }),
    { numRuns: 60 },
  );
  expect(compactIndexKey(64)).toBe('0x0101');
});
