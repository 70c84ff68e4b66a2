import type { FuzzTarget } from '../engine';
import { chainTargets } from './chain';
import { contractTargets } from './contract';
import { extensionTargets } from './extension';
import { protocolTargets } from './protocol';

export async function allTargets(): Promise<FuzzTarget[]> {
  return [...(await protocolTargets()), ...(await contractTargets()), ...(await chainTargets()), ...(await extensionTargets())];
}
