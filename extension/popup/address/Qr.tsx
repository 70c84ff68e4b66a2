/** A QR code as inline SVG: one path of dark modules on a light quiet zone, scannable on any theme. */
import { qrMatrix, qrPath } from './qr-matrix';

export function Qr({ text, size = 220, testid }: { text: string; size?: number; testid: string }) {
  const matrix = qrMatrix(text);
  const side = matrix.length;
  return (
    <svg class="qr" data-testid={testid} width={size} height={size} viewBox={`0 0 ${side} ${side}`}
      shape-rendering="crispEdges" role="img" aria-label={`QR code of ${text}`}>
      <rect width={side} height={side} fill="#fff" />
      <path d={qrPath(matrix)} fill="#000" />
    </svg>
  );
}
