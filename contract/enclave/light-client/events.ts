/**
 * `System::Events` (frame-system `Vec<EventRecord { phase, event, topics }>`), decoded with the
 * type the pinned metadata gives the storage item, into each event's phase, pallet, name and fields.
 */
import { refuse } from './errors';
import { palletNamed, type RuntimeMetadata } from './metadata';
import { decodeOrRefuse } from './scale';
import { asEnum, asU32, field, ShapeError, withShape, type Value, type ValueDecoder } from './value';

export type Phase = { kind: 'applyExtrinsic'; index: number } | { kind: 'finalization' } | { kind: 'initialization' };

export interface ChainEvent {
  phase: Phase;
  pallet: string;
  name: string;
  fields: ReadonlyMap<string, Value>;
}

export function eventsType(metadata: RuntimeMetadata): number {
  const type = palletNamed(metadata, 'System')?.plainStorage.get('Events');
  if (type === undefined) throw refuse('BadConfig', 'The metadata has no System.Events storage item.');
  return type;
}

function phaseOf(v: Value): Phase {
  const p = asEnum(v);
  if (p.variant === 'ApplyExtrinsic') return { kind: 'applyExtrinsic', index: asU32(field(p, '0')) };
  if (p.variant === 'Finalization') return { kind: 'finalization' };
  if (p.variant === 'Initialization') return { kind: 'initialization' };
  throw new ShapeError('unknown phase');
}

function toEvent(record: Value): ChainEvent {
  const pallet = asEnum(field(record, 'event'));
  const event = asEnum(field(pallet, '0'));
  return { phase: phaseOf(field(record, 'phase')), pallet: pallet.variant, name: event.variant, fields: event.fields };
}

/** An absent value is an empty list, as FRAME's `ValueQuery` default. */
export function decodeEvents(bytes: Uint8Array | null, type: number, values: ValueDecoder): ChainEvent[] {
  if (bytes === null) return [];
  return withShape('BadEvents', 'System.Events does not have the shape the pinned metadata gives it.', () => {
    const records = decodeOrRefuse('BadEvents', 'System.Events', bytes, (r) => values.decode(r, type));
    if (!Array.isArray(records)) throw new ShapeError('not a list');
    return records.map(toEvent);
  });
}
