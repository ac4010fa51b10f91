import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import { describe, expect, it } from 'vitest';
import { BUILD_DIR, LINUX_SIZES, SOURCE_SVG, renderIcons, traySvg } from './generate-icons.ts';

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

  it('has tray icons at 1x and 2x', () => {
    expect(pngSize(rendered.get('tray/trayTemplate.png')!)).toEqual([16, 16]);
    expect(pngSize(rendered.get('tray/trayTemplate@2x.png')!)).toEqual([32, 32]);
    expect(pngSize(rendered.get('tray/tray.png')!)).toEqual([32, 32]);
    expect(pngSize(rendered.get('tray/tray@2x.png')!)).toEqual([64, 64]);
    expect(icoSizes(rendered.get('tray/tray.ico')!)).toEqual(expect.arrayContaining([16, 32]));
  });
});

describe('traySvg', () => {
  it('is a macOS template image: black pixels with alpha only, and not empty', () => {
    const { pixels } = new Resvg(traySvg(svg), { fitTo: { mode: 'width', value: 32 } }).render();
    let opaque = 0;
    for (let i = 0; i < pixels.length; i += 4) {
      expect([pixels[i], pixels[i + 1], pixels[i + 2]]).toEqual([0, 0, 0]);
      if (pixels[i + 3]! > 128) opaque++;
    }
    expect(opaque).toBeGreaterThan(32 * 32 * 0.2);
  });

  it('says what is missing when the source has no bell group', () => {
    expect(() => traySvg('<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>')).toThrow(`${SOURCE_SVG} has no <g id="bell"> group to derive the tray icon from.`);
  });
});
