// Every reader of untrusted input fed random and mutated inputs (fast-check): none throws (the
// manifest and the binary dataset parsers throw their own named Error by design, and nothing
// else), and no message is longer than 2,000 characters. A reader that hangs on hostile input fails
// at the test's timeout; how fast they are is not a unit test's business (wall time varies with load).
import fc from 'fast-check';
import { deflateSync, strToU8 } from 'fflate';
import zlib from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { cifar10BatchesFromTar, parseCifar10Batch } from '../core/data/cifar10';
import { gunzip } from '../core/data/gzip';
import { encodeIdx, parseIdxImages, parseIdxLabels } from '../core/data/idx';
import { parseManifest } from '../core/data/manifest';
import { readLandscapeResult } from '../core/landscape/readResult';
import { sampleResults } from '../core/landscape/resultFixtures';
import { formatIssues } from '../core/schema';
import { DEFAULT_SPEC, parseSpec, validateSpec, type ExperimentSpec } from '../core/spec';
import { twoRunResults } from '../core/train/resultFixtures';
import { specFromHash } from './hashSpec';
import type { LabState } from './labStore';
import { landscapePart } from './landscapePart';
import { parseResultsText, resultsToJson } from '../core/train/resultsFile';
import { toBase64Url } from './linkPart';
import { newRunView } from './runView';
import { readSavedRunView } from './savedRunView';
import { encodeResultsParam, readShareLink } from './shareLink';

const MAX_MESSAGE = 2000;
const RUNS = 150;

/** Runs `read`, failing the property when it says too much. */
function bounded(read: () => string | null | undefined): void {
  const message = read();
  expect((message ?? '').length).toBeLessThanOrEqual(MAX_MESSAGE);
}

/** Like bounded, for a reader whose refusal is an Error it names itself (`pattern`). */
function boundedThrowing(read: () => unknown, pattern: RegExp): void {
  bounded(() => {
    try {
      read();
      return null;
    } catch (e) {
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(pattern);
      return (e as Error).message;
    }
  });
}

let deep: unknown = 0;
for (let i = 0; i < 100_000; i++) deep = { a: deep, train: deep };
const hostile = fc.oneof(
  fc.anything({ maxDepth: 3 }),
  fc.constantFrom(NaN, Infinity, -Infinity, -5, 1e308, 2 ** 53, -0, '', null, [], {}, 'x'.repeat(100_000), deep),
  fc.constant(Array.from({ length: 20_000 }, (_, i) => i)),
  fc.constant(Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`k${i}`, i]))),
  fc.constant(JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":1},"toString":1}')),
);

type Path = (string | number)[];
function paths(value: unknown, at: Path = [], out: Path[] = []): Path[] {
  out.push(at);
  if (typeof value === 'object' && value !== null && out.length < 5000) {
    for (const key of Object.keys(value))
      paths((value as Record<string, unknown>)[key], [...at, Array.isArray(value) ? Number(key) : key], out);
  }
  return out;
}

/** `base` with up to 4 random edits: a value replaced by a hostile one, a key removed, a key added. */
function mutated<T>(base: T): fc.Arbitrary<unknown> {
  const all = paths(base);
  const edit = fc.tuple(
    fc.nat(),
    fc.constantFrom('replace', 'delete', 'add'),
    fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype')),
    hostile,
  );
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    const copy = structuredClone(base) as unknown;
    let root = copy;
    for (const [n, kind, key, value] of edits) {
      const path = all[n % all.length];
      if (path.length === 0) {
        if (kind === 'replace') root = value;
        continue;
      }
      let parent = root as Record<string | number, unknown>;
      for (const k of path.slice(0, -1)) parent = (parent?.[k] ?? undefined) as Record<string | number, unknown>;
      if (typeof parent !== 'object' || parent === null) continue;
      const last = path.at(-1)!;
      if (kind === 'replace') parent[last] = value;
      else if (kind === 'delete') delete parent[last];
      else Object.defineProperty(parent, key, { value, enumerable: true, configurable: true, writable: true });
    }
    return root;
  });
}

const spec: ExperimentSpec = {
  ...structuredClone(DEFAULT_SPEC),
  runs: [
    { id: 'sgd', method: 'sgd' },
    { id: 'at', method: 'at', norm: 'linf', eps: 0.01, stepSize: 0.004, steps: 2 },
  ],
};
const results = twoRunResults(spec);
const resultsJson = JSON.parse(resultsToJson(results)) as unknown;
const savedView = {
  ...newRunView(spec.runs[0]),
  status: 'done',
  history: results.runs[0].history,
  result: results.runs[0],
};
const landscapes = [
  {
    requestId: 'r1',
    trigger: 'end',
    kinds: ['weight-1d', 'sharpness'],
    step: 9,
    epoch: 1,
    ms: 5,
    estimate: { evals: 1, gradEvals: 1 },
    results: [sampleResults()['weight-1d'], sampleResults().sharpness],
    progress: 1,
  },
];
const manifest = JSON.parse(
  JSON.stringify({
    version: 1,
    datasets: {
      cifar10: {
        name: 'cifar10',
        classNames: ['a'],
        shape: [32, 32, 3],
        train: 1,
        test: 1,
        mean: [0.5],
        std: [0.2],
        source: 's',
        files: [{ path: 'cifar10/a.gz', role: 'train', format: 'cifar10-bin', bytes: 1, sha256: 'a'.repeat(64) }],
      },
    },
  }),
) as unknown;

const link = (value: unknown) => `#x=1.${toBase64Url(deflateSync(strToU8(JSON.stringify(value) ?? 'null')))}`;
const linkable = (value: unknown): boolean => {
  try {
    JSON.stringify(value);
    return true;
  } catch {
    return false; // too deep to write as a link at all
  }
};

describe('every reader of untrusted input, on random and mutated inputs', () => {
  it('the spec (file, form, link of either form)', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, mutated(DEFAULT_SPEC)), (raw) => {
        bounded(() => formatIssues(parseSpec(raw).issues));
        bounded(() => {
          const v = validateSpec(raw);
          return v.ok ? null : formatIssues(v.issues);
        });
        if (linkable(raw)) {
          bounded(() => readShareLink(link(raw), DEFAULT_SPEC).message);
          bounded(() => specFromHash(`#spec=${encodeURIComponent(JSON.stringify(raw) ?? '')}`, DEFAULT_SPEC)?.message);
        }
      }),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 3000 }), (hash) =>
        bounded(() => readShareLink(`#${hash}`, DEFAULT_SPEC).message),
      ),
      { numRuns: RUNS },
    );
  });

  it('the results file, and the results part of a link', () => {
    fc.assert(
      fc.property(mutated(resultsJson), (raw) => {
        if (!linkable(raw)) return;
        bounded(() => {
          const r = parseResultsText(JSON.stringify(raw));
          return r.ok ? null : r.reason;
        });
      }),
      { numRuns: RUNS },
    );
    const param = encodeResultsParam(results);
    const specHash = link(spec);
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.nat(), (junk, at) => {
        const cut = at % (param.length + 1);
        bounded(
          () => readShareLink(`${specHash}&r=${param.slice(0, cut)}${junk}${param.slice(cut)}`, DEFAULT_SPEC).message,
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('saved runs and saved landscapes', () => {
    fc.assert(
      fc.property(mutated(savedView), (raw) =>
        bounded(() => {
          const r = readSavedRunView(raw, 'sgd', spec);
          return r.ok ? null : r.reason;
        }),
      ),
      { numRuns: RUNS },
    );
    fc.assert(
      fc.property(mutated(landscapes), (raw) => {
        bounded(
          () => landscapePart.restore({ landscapes: {} } as unknown as LabState, 'sgd', raw).landscapes?.sgd?.error,
        );
        bounded(() => {
          const r = readLandscapeResult(
            Array.isArray(raw) ? (raw[0] as { results?: unknown[] })?.results?.[0] : raw,
            'r',
          );
          return r.ok ? null : formatIssues(r.issues);
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('the dataset manifest', () => {
    fc.assert(
      fc.property(fc.oneof(hostile, mutated(manifest)), (raw) =>
        boundedThrowing(() => parseManifest(raw), /^datasets\/manifest\.json: /),
      ),
      { numRuns: RUNS },
    );
  });

  it('dataset files: gzip, idx and CIFAR-10 headers, tarballs', () => {
    const idx = encodeIdx({
      shape: [4, 4, 1],
      pixels: new Uint8Array(32).fill(3),
      labels: new Uint8Array([1, 2]),
      n: 2,
    });
    const files = [idx.images, idx.labels, new Uint8Array(zlib.gzipSync(idx.images)), new Uint8Array(3073 * 2).fill(1)];
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 4096 }),
      fc
        .tuple(
          fc.constantFrom(...files),
          fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }),
          fc.nat(),
        )
        .map(([f, edits, cut]) => {
          const b = f.slice();
          for (const [i, v] of edits) b[i % b.length] = v;
          return b.subarray(0, b.length - (cut % 4 === 0 ? cut % b.length : 0));
        }),
    );
    const named = /^(idx image file|idx label file|CIFAR-10|file|tar |bomb)/;
    fc.assert(
      fc.property(bytes, (b) => {
        boundedThrowing(() => gunzip(b, 'file'), named);
        boundedThrowing(() => parseIdxImages(b), named);
        boundedThrowing(() => parseIdxLabels(b, 10), named);
        boundedThrowing(() => parseCifar10Batch(b), named);
        boundedThrowing(() => cifar10BatchesFromTar(b), named);
      }),
      { numRuns: RUNS },
    );
  });
});
