/** The modules of a QR code (pure): dark = true, with the standard quiet zone around it. */
import encodeQR from 'qr';

/** Modules of light border around the code; the QR standard asks for four. */
const QUIET_ZONE = 4;

export function qrMatrix(text: string): boolean[][] {
  return encodeQR(text, 'raw', { ecc: 'medium', border: QUIET_ZONE });
}

/** The dark modules as one SVG path ("M x y h1 v1 h-1 z" per module). */
export function qrPath(matrix: boolean[][]): string {
  let d = '';
  matrix.forEach((row, y) => row.forEach((dark, x) => {
    if (dark) d += `M${x} ${y}h1v1h-1z`;
  }));
  return d;
}
