import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PRESETS } from '../core/presets';
import { Rng } from '../core/rng';
import { DEFAULT_SPEC, METHODS, NORMS, validateSpec, type ExperimentSpec, type RunSpec } from '../core/spec';
import { toBase64Url } from './linkPart';
import { decodeShareHash, encodeShareHash } from './shareUrl';

function randomSpec(rng: Rng): ExperimentSpec {
  const spec = structuredClone(DEFAULT_SPEC);
  spec.seed = rng.int(2 ** 31);
  spec.train.lr = 0.001 + rng.uniform();
  spec.train.epochs = 1 + rng.int(30);
  spec.train.batchSize = 1 + rng.int(256);
  spec.eval.attacks = Array.from({ length: rng.int(5) }, () => ({ norm: NORMS[rng.int(2)], eps: rng.int(32) / 255 }));
  spec.runs = Array.from({ length: 1 + rng.int(6) }, (_, i): RunSpec => {
    const method = METHODS[rng.int(3)];
    if (method === 'sam') return { id: `r${i}`, method, rho: rng.uniform() };
    if (method === 'at')
      return {
        id: `r${i}`,
        method,
        norm: NORMS[rng.int(2)],
        eps: rng.uniform() * 0.1,
        stepSize: rng.uniform() * 0.02,
        steps: rng.int(20),
      };
    return { id: `r${i}`, method };
  });
  return spec;
}

describe('share URL codec', () => {
  it('round-trips the default spec, every preset and many random valid specs', () => {
    const specs = [DEFAULT_SPEC, ...PRESETS.map((p) => p.spec)];
    const rng = new Rng(99);
    for (let i = 0; i < 200; i++) specs.push(randomSpec(rng));
    for (const spec of specs) {
      expect(validateSpec(spec).ok).toBe(true);
      const decoded = decodeShareHash(encodeShareHash(spec));
      expect(decoded.message).toBeNull();
      expect(decoded.spec).toEqual(spec);
    }
  });

  it('is compact: the default spec fits a chat message or a QR code (deflated JSON)', () => {
    expect(encodeShareHash(DEFAULT_SPEC).length).toBeLessThan(700);
  });

  it('never throws on random bytes, truncations or tampering, and always yields a valid spec with a message', () => {
    const good = encodeShareHash(DEFAULT_SPEC);
    const rng = new Rng(5);
    const hashes: string[] = [];
    for (let cut = 4; cut < good.length; cut += 7) hashes.push(good.slice(0, cut));
    for (let i = 0; i < 200; i++) {
      const chars = good.split('');
      chars[5 + rng.int(chars.length - 5)] = 'ABCxyz019-_'[rng.int(11)];
      hashes.push(chars.join(''));
      hashes.push('#x=1.' + Array.from({ length: rng.int(80) }, () => String.fromCharCode(rng.int(128))).join(''));
    }
    hashes.push('#x=', '#x=.', '#x=abc', '#x=9.AAAA', '#x=1.%%%', '#x=1.' + 'A'.repeat(10));
    let withMessage = 0;
    for (const h of hashes) {
      const d = decodeShareHash(h);
      expect(validateSpec(d.spec).ok).toBe(true);
      // Whatever was ignored is said; a tampering that still decodes to valid values is simply another experiment.
      if (d.issues.length > 0) expect(d.message).not.toBeNull();
      if (d.message !== null) withMessage++;
    }
    // Nearly all damaged links are detected (deflate and JSON rarely survive a changed byte).
    expect(withMessage).toBeGreaterThan(hashes.length * 0.9);
  });

  it('resets only the tampered fields and says which', () => {
    const tampered = { ...structuredClone(DEFAULT_SPEC), seed: 77, train: { ...DEFAULT_SPEC.train, lr: 'huge' } };
    const hash = `#x=1.${btoa(String.fromCharCode(...deflateSync(strToU8(JSON.stringify(tampered)))))
      .replace(/\+/g, '-')
      .replace(/\//g, '_')
      .replace(/=+$/, '')}`;
    const d = decodeShareHash(hash);
    expect(d.spec.seed).toBe(77);
    expect(d.spec.train.lr).toBe(DEFAULT_SPEC.train.lr);
    expect(d.message).toContain('train.lr');
  });

  it('refuses a future link format with a message and no hash yields no message', () => {
    expect(decodeShareHash('#x=2.AAAA').message).toContain('newer version');
    const none = decodeShareHash('');
    expect(none.found).toBe(false);
    expect(none.message).toBeNull();
  });

  it('still decodes the version-1 fixture', () => {
    // Written by this codec at version 1 (seed 1234, runs sgd and sam.1 rho 0.1); kept verbatim so later versions keep reading it.
    const fixture =
      '#x=1.dVK9cqMwEH6XrRmPkA021Ln2inN5k0KGtaUJSAwS8SQZ3j3fQpIhhTt2tfv9sR_0ymN0wVOdZxSZW3zo_SGj1iQTOVH9Qd70TDVFawaOlFEajfNn946mVkqhwTGtdbGU4U3WxnCZYnpyfaQagGt5tu4KUJCt9d_gouBk5IP_t9nQAPppfW2pHfZ-ml-raqfnOaM-tNxt1DbeQ-rdtcmCroQhHuRTY3YxILM8hMaCDM8Xkxq7miihthsFWRUC3LNPUy91BUR2N5ueuDEwiQklM7Gx3E6d8A6OG76LsozMdJNdqq-miywczQt7RIyXFAhK-NUsouN0QdibDE1KGIa0_3AURrBT5_wVoDygK8TH02Gf74-6OFQqr8o5ezSZF-Wp1MdDoaqT2ldI4NHkFk_w5-eMhlt7TstADl2Me4HxHNo749vY4CbEwN0yEiVxh5XgfIo5jGr8sLXSclmIapNzrk8ZOT9M6c8jfpzJ5NcUnOQWb4Lfc7LhuxQ365vpd_mvV9OjHG1YLmd-nj8B';
    const d = decodeShareHash(fixture);
    expect(d.message).toBeNull();
    expect(d.spec.seed).toBe(1234);
    expect(d.spec.runs).toEqual([
      { id: 'sgd', method: 'sgd' },
      { id: 'sam.1', method: 'sam', rho: 0.1 },
    ]);
  });

  it('reads only its own codec version: 0 and -1 are refused, a greater one is from a newer lab', () => {
    const body = encodeShareHash({ ...DEFAULT_SPEC, seed: 5 }).slice('#x=1'.length);
    for (const v of ['0', '-1']) {
      const d = decodeShareHash(`#x=${v}${body}`);
      expect(d.spec).toEqual(DEFAULT_SPEC);
      expect(d.message).toMatch(new RegExp(`format ${v} is not one this lab knows`));
    }
    expect(decodeShareHash(`#x=2${body}`).message).toMatch(/newer version of the lab \(format 2\)/);
  });

  it('refuses a link that inflates past what a spec needs, quickly and saying so', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(50 * 1024 * 1024).fill(32), { level: 9 }));
    const t0 = performance.now();
    const d = decodeShareHash(`#x=1.${bomb}`);
    expect(performance.now() - t0).toBeLessThan(1000);
    expect(d.spec).toEqual(DEFAULT_SPEC);
    expect(d.message).toMatch(/The link was not read: it is damaged or truncated \(it holds more than 16 KB of data\)/);
  });

  it('keeps its message short whatever the link holds', () => {
    const huge = {
      ...DEFAULT_SPEC,
      runs: [{ id: 'r'.repeat(10_000), method: 'sgd' }],
      ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`k${i}`, i])),
    };
    const d = decodeShareHash(`#x=1.${toBase64Url(deflateSync(strToU8(JSON.stringify(huge)), { level: 9 }))}`);
    expect(d.issues.length).toBeGreaterThan(300);
    expect(d.message!.length).toBeLessThan(2000);
    expect(d.message).toMatch(/and \d+ more$/);
  });
});
