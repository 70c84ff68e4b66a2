/** TCB level matching (Intel's "TCB level matching" and "QE identity" steps of quote verification). */
import type { QeIdentity, TcbInfo, TcbStatus } from './collateral';
import { TCB_STATUSES } from './collateral';
import { DcapError } from './errors';

export interface TcbVerdict {
  status: TcbStatus;
  advisoryIds: string[];
}

const atLeast = (actual: ArrayLike<number>, required: number[]) => required.every((r, i) => actual[i] >= r);

/** The first (highest) TCB level the platform meets: its SGX components and PCESVN, and for TDX its TEE TCB SVN. */
export function platformTcb(info: TcbInfo, cpuSvn: number[], pceSvn: number, teeTcbSvn?: Uint8Array): TcbVerdict {
  const level = info.levels.find((l) =>
    pceSvn >= l.pceSvn && atLeast(cpuSvn, l.sgxComponents) && (teeTcbSvn === undefined || atLeast(teeTcbSvn, l.tdxComponents)));
  if (!level) throw new DcapError('TcbLevelNotFound', "The platform's TCB is below every level in Intel's TCB info.");
  return { status: level.status, advisoryIds: level.advisoryIds };
}

export function qeTcb(identity: QeIdentity, isvSvn: number): TcbVerdict {
  const level = identity.levels.find((l) => isvSvn >= l.isvSvn);
  if (!level) throw new DcapError('TcbLevelNotFound', "The quoting enclave's SVN is below every level in Intel's QE identity.");
  return { status: level.status, advisoryIds: level.advisoryIds };
}

/** The platform and its quoting enclave together: the worse status, every advisory of either. */
export function mergeTcb(a: TcbVerdict, b: TcbVerdict): TcbVerdict {
  const worse = TCB_STATUSES.indexOf(a.status) >= TCB_STATUSES.indexOf(b.status) ? a.status : b.status;
  return { status: worse, advisoryIds: [...new Set([...a.advisoryIds, ...b.advisoryIds])].sort() };
}
