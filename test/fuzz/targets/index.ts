import type { FuzzTarget } from '../engine';
import { protocolTargets } from './protocol';

export async function allTargets(): Promise<FuzzTarget[]> {
  return [...(await protocolTargets())];
}
