/**
 * The SGX extension (OID 1.2.840.113741.1.13.1) of a PCK certificate: which platform (FMSPC, PCE id)
 * and which TCB (CPUSVN components, PCESVN) Intel certified the key for.
 */
import { children, derDocument, derOid, derUint, TAG, type DerElement } from './der';
import type { Certificate } from './x509';

const SGX_EXTENSION = '1.2.840.113741.1.13.1';

export interface PckTcb {
  fmspc: Uint8Array;
  pceId: Uint8Array;
  /** The 16 SGX TCB component SVNs. */
  cpuSvnComponents: number[];
  pceSvn: number;
}

/** SEQUENCE OF SEQUENCE { OID, value }, keyed by the OID. */
function oidTable(el: DerElement): Map<string, DerElement> {
  const out = new Map<string, DerElement>();
  const r = children(el);
  while (!r.done) {
    const entry = children(r.next(TAG.SEQUENCE));
    const oid = derOid(entry.next(TAG.OID));
    const tag = entry.peekTag();
    if (tag === undefined) throw new RangeError('PCK: an SGX extension entry without a value');
    out.set(oid, entry.next(tag));
    entry.end();
  }
  return out;
}

export function readPckExtension(cert: Certificate): PckTcb {
  const ext = cert.extensions.get(SGX_EXTENSION);
  if (!ext) throw new RangeError('PCK: no SGX extension');
  const fields = oidTable(derDocument(ext, TAG.SEQUENCE));
  const field = (arc: string) => {
    const f = fields.get(`${SGX_EXTENSION}.${arc}`);
    if (!f) throw new RangeError(`PCK: SGX extension has no field .${arc}`);
    return f;
  };
  const tcb = oidTable(field('2'));
  const svn = (arc: number) => {
    const v = tcb.get(`${SGX_EXTENSION}.2.${arc}`);
    if (!v) throw new RangeError(`PCK: TCB has no component ${arc}`);
    const n = derUint(v);
    if (n > 0xffffn) throw new RangeError('PCK: SVN out of range');
    return Number(n);
  };
  const octets = (arc: string, len: number) => {
    const f = field(arc);
    if (f.tag !== TAG.OCTET_STRING || f.body.length !== len) throw new RangeError(`PCK: field .${arc} is not ${len} bytes`);
    return f.body;
  };
  return {
    fmspc: octets('4', 6),
    pceId: octets('3', 2),
    cpuSvnComponents: Array.from({ length: 16 }, (_, i) => svn(i + 1)),
    pceSvn: svn(17),
  };
}
