/** `PhalaModule` dispatch errors, for every module of the pallet's calls (a leaf: phala.ts imports those modules). */
import type { PhalaError } from '../../metadata/phala';
import { palletError } from '../errors';

export const phalaFail = (name: PhalaError) => palletError('PhalaModule', name);
