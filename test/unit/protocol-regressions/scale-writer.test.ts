/** Found by the fuzzer: writes that grew the buffer went to the old one (evaluation order). */
import { ScaleReader, ScaleWriter } from '../../../shared/protocol/scale';

test('writes that cross the initial capacity land in the output', () => {
  const sig = new Uint8Array(64).fill(9);
  const w = new ScaleWriter(4).u8(1).u8(2).u8(3).u8(4).u8(5).fixed(sig, 64).bytes(new Uint8Array(300).fill(3), 300).u8(6);
  const r = new ScaleReader(w.finish());
  expect([r.u8(), r.u8(), r.u8(), r.u8(), r.u8()]).toEqual([1, 2, 3, 4, 5]);
  expect(r.fixed(64)).toEqual(sig);
  expect(r.bytesVec(300)).toEqual(new Uint8Array(300).fill(3));
  expect(r.u8()).toBe(6);
  r.end();
});
