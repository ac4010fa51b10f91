import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILD_DIR, LINUX_SIZES, SOURCE_SVG, renderIcons } from './generate-icons.ts';

const svg = readFileSync(SOURCE_SVG, 'utf8');
const rendered = renderIcons(svg);

function pngSize(png: Buffer): [number, number] {
  expect(png.subarray(1, 4).toString('ascii')).toBe('PNG');
  return [png.readUInt32BE(16), png.readUInt32BE(20)]; // IHDR width, height
}

/** Sizes listed in an ICO directory (a stored 0 means 256). */
function icoSizes(ico: Buffer): number[] {
  expect(ico.readUInt16LE(2)).toBe(1); // type 1 = icon
  return Array.from({ length: ico.readUInt16LE(4) }, (_, i) => ico.readUInt8(6 + i * 16) || 256);
}

/** Chunk types in an ICNS file. */
function icnsTypes(icns: Buffer): string[] {
  expect(icns.subarray(0, 4).toString('ascii')).toBe('icns');
  expect(icns.readUInt32BE(4)).toBe(icns.length);
  const types: string[] = [];
  for (let offset = 8; offset < icns.length; offset += icns.readUInt32BE(offset + 4)) {
    types.push(icns.subarray(offset, offset + 4).toString('ascii'));
  }
  return types;
}

describe('generated icons', () => {
  it('the committed files are exactly what icon.svg renders to (run `npm run icons -w desktop` after editing it)', () => {
    for (const [name, data] of rendered) {
      const committed = path.join(BUILD_DIR, name);
      expect(existsSync(committed), `${name} is missing`).toBe(true);
      expect(readFileSync(committed).equals(data), `${name} is out of date`).toBe(true);
    }
  });

  it('has a Linux PNG for every size, each really that size', () => {
    for (const size of LINUX_SIZES) expect(pngSize(rendered.get(`icons/${size}x${size}.png`)!)).toEqual([size, size]);
    expect(pngSize(rendered.get('icon.png')!)).toEqual([1024, 1024]);
  });

  it('has a Windows .ico up to 256 px, which NSIS and the MSI require', () => {
    expect(icoSizes(rendered.get('icon.ico')!)).toEqual(expect.arrayContaining([16, 24, 32, 48, 64, 128, 256]));
  });

  it('has a macOS .icns with the 512 and 1024 px retina images', () => {
    expect(icnsTypes(rendered.get('icon.icns')!)).toEqual(expect.arrayContaining(['ic09', 'ic10', 'ic07', 'ic08']));
  });
});

