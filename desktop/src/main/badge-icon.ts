// Draws the tray icon: a bell, grey and struck through when disconnected, with the unread count
// on a red badge. Pure pixel code (no Electron), so it is tested directly.
import { badgeLabel } from '../shared/unread.ts';

export interface IconSpec {
  count: number;
  connected: boolean;
  size?: number;
}

export interface Bitmap {
  width: number;
  height: number;
  rgba: Uint8Array;
}

type Rgba = [number, number, number, number];

const BELL: Rgba = [40, 110, 220, 255];
const BELL_OFF: Rgba = [130, 130, 130, 255];
const SLASH: Rgba = [200, 40, 40, 255];
const BADGE: Rgba = [225, 29, 72, 255];
const WHITE: Rgba = [255, 255, 255, 255];

// 3x5 digits and "+".
const GLYPHS: Record<string, string[]> = {
  '0': ['111', '101', '101', '101', '111'],
  '1': ['010', '110', '010', '010', '111'],
  '2': ['111', '001', '111', '100', '111'],
  '3': ['111', '001', '111', '001', '111'],
  '4': ['101', '101', '111', '001', '001'],
  '5': ['111', '100', '111', '001', '111'],
  '6': ['111', '100', '111', '101', '111'],
  '7': ['111', '001', '010', '010', '010'],
  '8': ['111', '101', '111', '101', '111'],
  '9': ['111', '101', '111', '001', '111'],
  '+': ['000', '010', '111', '010', '000'],
};

class Canvas {
  readonly rgba: Uint8Array;
  constructor(
    readonly width: number,
    readonly height: number,
  ) {
    this.rgba = new Uint8Array(width * height * 4);
  }

  set(x: number, y: number, c: Rgba): void {
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (Math.floor(y) * this.width + Math.floor(x)) * 4;
    this.rgba.set(c, i);
  }

  get(x: number, y: number): Rgba {
    const i = (y * this.width + x) * 4;
    return [this.rgba[i] ?? 0, this.rgba[i + 1] ?? 0, this.rgba[i + 2] ?? 0, this.rgba[i + 3] ?? 0];
  }

  fill(pred: (x: number, y: number) => boolean, c: Rgba): void {
    for (let y = 0; y < this.height; y++) for (let x = 0; x < this.width; x++) if (pred(x + 0.5, y + 0.5)) this.set(x, y, c);
  }
}

function drawBell(cv: Canvas, c: Rgba): void {
  const s = cv.width / 32;
  const cx = 14 * s;
  // Dome: upper half of an ellipse, then the flared skirt, the rim and the clapper.
  cv.fill((x, y) => {
    const top = 5 * s;
    const rimY = 22 * s;
    if (y < top || y > rimY) return false;
    const t = (y - top) / (rimY - top); // 0 at the top, 1 at the rim
    const half = (4 + 6 * Math.sqrt(t) + 2 * t * t) * s;
    return Math.abs(x - cx) <= half;
  }, c);
  cv.fill((x, y) => Math.abs(x - cx) <= 13 * s && y >= 22 * s && y <= 24.5 * s, c);
  cv.fill((x, y) => (x - cx) ** 2 + (y - 27 * s) ** 2 <= (2.6 * s) ** 2, c);
  cv.fill((x, y) => (x - cx) ** 2 + (y - 4 * s) ** 2 <= (1.8 * s) ** 2, c);
}

function drawSlash(cv: Canvas): void {
  const s = cv.width / 32;
  cv.fill((x, y) => Math.abs(x - y) <= 1.6 * s && x > 2 * s && x < 28 * s, SLASH);
}

function drawBadge(cv: Canvas, label: string): void {
  const s = cv.width / 32;
  const scale = Math.max(1, Math.round((label.length > 2 ? 1.6 : 2) * s));
  const textW = label.length * 3 * scale + (label.length - 1) * scale;
  const textH = 5 * scale;
  const padX = 2 * scale;
  const w = Math.max(textH + 2 * scale, textW + 2 * padX);
  const h = textH + 2 * scale + 1;
  const x0 = cv.width - w;
  const y0 = 0;
  const r = h / 2;
  // Pill: a rectangle with round ends.
  cv.fill((x, y) => {
    if (y < y0 || y > y0 + h || x < x0 || x > x0 + w) return false;
    const lx = x0 + r;
    const rx = x0 + w - r;
    const cy = y0 + r;
    if (x < lx) return (x - lx) ** 2 + (y - cy) ** 2 <= r * r;
    if (x > rx) return (x - rx) ** 2 + (y - cy) ** 2 <= r * r;
    return true;
  }, BADGE);
  let tx = Math.round(x0 + (w - textW) / 2);
  const ty = Math.round(y0 + (h - textH) / 2);
  for (const ch of label) {
    const g = GLYPHS[ch];
    if (g) {
      g.forEach((row, gy) => {
        [...row].forEach((bit, gx) => {
          if (bit !== '1') return;
          for (let dy = 0; dy < scale; dy++) for (let dx = 0; dx < scale; dx++) cv.set(tx + gx * scale + dx, ty + gy * scale + dy, WHITE);
        });
      });
    }
    tx += 4 * scale;
  }
}

/** The tray icon as RGBA pixels (size x size; 32 by default, shown at 16 pt with scale factor 2). */
export function renderTrayIcon(spec: IconSpec): Bitmap {
  const size = spec.size ?? 32;
  const cv = new Canvas(size, size);
  drawBell(cv, spec.connected ? BELL : BELL_OFF);
  if (!spec.connected) drawSlash(cv);
  const label = badgeLabel(spec.count);
  if (label) drawBadge(cv, label);
  return { width: size, height: size, rgba: cv.rgba };
}

/** A small red dot with the count, for the Windows taskbar overlay. */
export function renderOverlayIcon(count: number): Bitmap | null {
  const label = badgeLabel(count);
  if (!label) return null;
  const cv = new Canvas(32, 32);
  drawBadge(cv, label);
  return { width: 32, height: 32, rgba: cv.rgba };
}

