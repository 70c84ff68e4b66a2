/**
 * The Grandpa pallet as this chain declares it: kitchensink's pallet_grandpa (index 18, its storage,
 * events and errors), with the equivocation calls replaced by the one root call the dev chain needs,
 * `schedule_change(next_authorities, delay)`, and one error for an unusable authority list.
 */
import type { PalletJson, TypeTable } from './portable';

export function declareGrandpaCalls(table: TypeTable, grandpa: PalletJson): void {
  if (!grandpa.calls || !grandpa.errors) throw new Error('The base metadata\'s Grandpa pallet has no calls or errors.');
  const u32 = table.primitive('U32');
  const u64 = table.primitive('U64');
  const authorityId = table.byPath('sp_consensus_grandpa::app::Public');
  const authorityList = table.def({ sequence: { type: table.def({ tuple: [authorityId, u64] }) } });
  const calls = table.get(grandpa.calls.type);
  table.set(grandpa.calls.type, {
    ...calls,
    def: {
      variant: {
        variants: [{
          name: 'schedule_change',
          index: 0,
          fields: [
            { name: 'next_authorities', type: authorityList, typeName: 'AuthorityList', docs: [] },
            { name: 'delay', type: u32, typeName: 'BlockNumberFor<T>', docs: [] },
          ],
          docs: [
            'Root: schedule a change of the GRANDPA authority set. The block including this call carries a',
            '`ScheduledChange` consensus log; the change is enacted when block (this block + delay) is',
            'finalized, which is still justified by the current set.',
          ],
        }],
      },
    },
  });
  const errors = table.get(grandpa.errors.type);
  if (!('variant' in errors.def)) throw new Error('Grandpa errors are not an enum.');
  const variants = errors.def.variant.variants;
  table.set(grandpa.errors.type, {
    ...errors,
    def: {
      variant: {
        variants: [...variants, {
          name: 'InvalidAuthorities', index: variants.length, fields: [],
          docs: ['The next authority set is empty, has a zero weight, or lists an authority twice.'],
        }],
      },
    },
  });
}
