import { PNG } from 'pngjs';
import { expect } from 'vitest';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which must come first after the signature. */
export function pngHeader(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8).equals(SIGNATURE), 'PNG signature').toBe(true);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/**
 * Decodes the PNG fully (pngjs checks every chunk's CRC and the zlib stream) and sums up what is
 * drawn: how many distinct colours, and the share of pixels that are not the white background.
 */
export function pngStats(bytes: Buffer): { width: number; height: number; colours: number; inked: number } {
  const png = PNG.sync.read(bytes);
  const colours = new Set<number>();
  let inked = 0;
  for (let i = 0; i < png.data.length; i += 4) {
    const [r, g, b] = [png.data[i]!, png.data[i + 1]!, png.data[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    if (r < 245 || g < 245 || b < 245) inked++;
  }
  return {
    width: png.width,
    height: png.height,
    colours: colours.size,
    inked: inked / (png.width * png.height),
  };
}

/** The chart's expectations shared by every delivery test: a real PNG, 960×600, with a lot drawn on it. */
export function expectUsageChartPng(bytes: Buffer): void {
  expect(pngHeader(bytes)).toEqual({ width: 960, height: 600 });
  const stats = pngStats(bytes);
  expect(stats.colours).toBeGreaterThan(20);
  expect(stats.inked).toBeGreaterThan(0.03);
}
