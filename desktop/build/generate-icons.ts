// Renders every icon the packages need from build/icon.svg:
//   icon.png (1024), icon.icns (macOS), icon.ico (Windows, up to 256),
//   icons/NxN.png (Linux, 16-1024),
//   tray/trayTemplate.png + @2x (macOS menu bar: black + alpha, the OS tints it),
//   tray/tray.png + @2x (Linux), tray/tray.ico (Windows notification area).
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

/** The bell alone, black on transparent, cropped to its bounds: what a menu bar or tray shows. */
export function traySvg(appSvg: string): string {
  const bell = /<g id="bell"[^>]*>([\s\S]*?)<\/g>/.exec(appSvg);
  if (bell === null) throw new Error(`${SOURCE_SVG} has no <g id="bell"> group to derive the tray icon from.`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="512" height="512" viewBox="256 224 512 512"><g fill="#000000">${bell[1]}</g></svg>`;
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

  const tray = traySvg(appSvg);
  files.set('tray/trayTemplate.png', renderPng(tray, 16));
  files.set('tray/trayTemplate@2x.png', renderPng(tray, 32));
  files.set('tray/tray.png', renderPng(appSvg, 32));
  files.set('tray/tray@2x.png', renderPng(appSvg, 64));
  files.set('tray/tray.ico', required(png2icons.createICO(renderPng(appSvg, 256), png2icons.BICUBIC, 0, true, false), 'tray/tray.ico'));
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
