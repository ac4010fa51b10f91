// Renders every icon the packages need from build/icon.svg:
//   icon.png (1024), icon.icns (macOS), icon.ico (Windows, up to 256),
//   icons/NxN.png (Linux, 16-1024).
// The tray icon is not here: the app draws it at run time with the unread badge.
// png2icons is plain JS and resvg-js ships prebuilt binaries in npm (no install
// script, no ImageMagick), so it runs anywhere npm ci ran.
// Usage: npm run icons -w desktop   (outputs are committed; a test checks they are current)
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

export const BUILD_DIR = path.dirname(fileURLToPath(import.meta.url));
export const SOURCE_SVG = path.join(BUILD_DIR, 'icon.svg');
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

function renderPng(svg: string, size: number): Buffer {
  return Buffer.from(new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng());
}

function required(buffer: Buffer | null, what: string): Buffer {
  if (buffer === null) throw new Error(`png2icons could not create ${what}.`);
  return buffer;
}

/** Returns the files to write, relative to the build folder, so a test can compare them with the committed ones. */
export function renderIcons(appSvg: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const master = renderPng(appSvg, 1024);
  files.set('icon.png', master);
  files.set('icon.icns', required(png2icons.createICNS(master, png2icons.BICUBIC, 0), 'icon.icns'));
  // forWinExe: BMP entries for the small sizes, PNG for 256, as Windows resource compilers expect.
  files.set('icon.ico', required(png2icons.createICO(master, png2icons.BICUBIC, 0, false, true), 'icon.ico'));
  for (const size of LINUX_SIZES) files.set(`icons/${size}x${size}.png`, size === 1024 ? master : renderPng(appSvg, size));

  return files;
}

export function writeIcons(outDir: string, files: Map<string, Buffer>): void {
  for (const [name, data] of files) {
    const file = path.join(outDir, name);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
  }
}

if (process.argv[1] !== undefined && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const files = renderIcons(readFileSync(SOURCE_SVG, 'utf8'));
  writeIcons(BUILD_DIR, files);
  console.log(`Wrote ${files.size} icon files to ${BUILD_DIR}`);
}
