/** The short fuzz run that is part of `npm test` (the long run: `npm run fuzz -- --seconds 300`). */
import { closeTargets, fuzz, mutate, Rng } from './engine';
import { allTargets } from './targets';

// 8 s of fuzzing, after starting a chain and a wallet (seconds more on a loaded machine): the default
// 60 s would cut a slow start short and leave the chain running, which kept jest from exiting.
test('every decoder and handler rejects mutated input with typed errors only', async () => {
  const targets = await allTargets();
  try {
    const stats = await fuzz(targets, { seconds: 8, seed: 12345 });
    expect(stats.failures).toEqual([]);
    for (const t of targets) expect(stats.perTarget[t.name]).toBeGreaterThan(50);
  } finally {
    await closeTargets(targets);
  }
}, 120_000);

test('the engine reports an untyped exception as a failure with the input', async () => {
  const stats = await fuzz([{
    name: 'fragile', seeds: [new Uint8Array([1, 2, 3])], accepts: () => false,
    run(input) { if (input.length !== 3) throw new TypeError('boom'); },
  }], { seconds: 1, seed: 7, maxFailures: 1 });
  expect(stats.failures).toHaveLength(1);
  expect(stats.failures[0]).toMatchObject({ target: 'fragile', error: 'TypeError: boom' });
});

test('mutation is reproducible from its seed', () => {
  const seeds = [new Uint8Array(40).fill(7)];
  const a = new Rng(99);
  const b = new Rng(99);
  for (let i = 0; i < 100; i++) expect(mutate(a, seeds)).toEqual(mutate(b, seeds));
});
