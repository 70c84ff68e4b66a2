/** A QR code as inline SVG: one path of dark modules on a light quiet zone, scannable on any theme. */
import encodeQR from 'qr';

/** Modules of light border around the code; the QR standard asks for four. */
const QUIET_ZONE = 4;

/** The dark modules of `matrix` as one SVG path ("M x y h1 v1 h-1 z" per module). */
export function qrPath(matrix: boolean[][]): string {
  let d = '';
  matrix.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x + QUIET_ZONE} ${y + QUIET_ZONE}h1v1h-1z`;
  }));
  return d;
}

export function Qr({ text, size = 220, testid }: { text: string; size?: number; testid: string }) {
  const matrix = encodeQR(text, 'raw', { ecc: 'medium', border: 0 });
  const side = matrix.length + 2 * QUIET_ZONE;
  return (
    <svg class="qr" data-testid={testid} data-modules={matrix.length} width={size} height={size} viewBox={`0 0 ${side} ${side}`}
      shape-rendering="crispEdges" role="img" aria-label={`QR code of ${text}`}>
      <rect width={side} height={side} fill="#fff" />
      <path d={qrPath(matrix)} fill="#000" />
    </svg>
  );
}
