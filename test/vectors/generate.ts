/**
 * Prints the protocol test vectors as JSON: `npx tsx test/vectors/generate.ts > test/vectors/protocol.json`.
 * The committed protocol.json is the reference; regenerate it only for a deliberate wire-format change
 * (and then the extension and the contract change together).
 */
import { computeVectors } from './compute';

const vectors = await computeVectors();
process.stdout.write(`${JSON.stringify(vectors, null, 2)}\n`);
