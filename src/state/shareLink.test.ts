import { describe, expect, it } from 'vitest';
import { DEFAULT_SPEC, attackKey, type ExperimentSpec } from '../core/spec';
import { resultsOf } from '../core/train/resultFixtures';
import { createLabStore } from './labStore';
import { encodeResultsParam, readShareLink, RESULTS_LINK_MAX_CHARS, shareLinkHash } from './shareLink';
import { deflateSync } from 'fflate';
import { toBase64Url } from './linkPart';
import { encodeShareHash } from './shareUrl';
import { syncHashWithSpec, type UrlWindow } from './urlSync';

const spec: ExperimentSpec = { ...structuredClone(DEFAULT_SPEC), seed: 42, runs: [{ id: 'sgd', method: 'sgd' }] };
const key = attackKey(spec.eval.attacks[0]);
const results = (points: number) =>
  resultsOf(spec, [
    {
      status: 'done',
      msPerStep: 10.123456,
      history: Array.from({ length: points }, (_, i) => ({
        epoch: i,
        step: 10 * i,
        trainLoss: i === 0 ? NaN : 1 / i,
        trainAcc: 0.5,
        cleanAcc: 0.123456789,
        robust: { [key]: 0.05 },
      })),
    },
  ]);

function fakeWindow(hash: string): UrlWindow & { calls: string[] } {
  const calls: string[] = [];
  const win = {
    calls,
    location: { hash, href: `http://127.0.0.1/lab/${hash}` },
    history: {
      state: null,
      replaceState(_d: unknown, _u: string, url?: string) {
        calls.push(url!);
        win.location.hash = url!.slice(url!.indexOf('#'));
        win.location.href = url!;
      },
    },
  };
  return win;
}

describe('share link', () => {
  it('carries small finished results, rounded to 4 decimals, and reads them back', () => {
    const { hash, withResults } = shareLinkHash(spec, results(3));
    expect(withResults).toBe(true);
    const read = readShareLink(hash, DEFAULT_SPEC);
    expect(read.message).toBeNull();
    expect(read.spec).toEqual(spec);
    const run = read.results!.runs[0];
    expect(run.msPerStep).toBe(10.1235);
    expect(run.history[1].cleanAcc).toBe(0.1235);
    expect(run.history[0].trainLoss).toBeNaN();
    expect(run.history[2].robust[key]).toBe(0.05);
  });

  it('leaves results that do not fit out of the link', () => {
    const big = results(2000);
    expect(encodeResultsParam(big).length).toBeGreaterThan(RESULTS_LINK_MAX_CHARS);
    const { hash, withResults } = shareLinkHash(spec, big);
    expect(withResults).toBe(false);
    expect(hash).toBe(encodeShareHash(spec));
  });

  it('drops damaged or tampered results with one message and keeps the spec', () => {
    const { hash } = shareLinkHash(spec, results(3));
    const truncated = readShareLink(hash.slice(0, -10), DEFAULT_SPEC);
    expect(truncated.results).toBeUndefined();
    expect(truncated.spec).toEqual(spec);
    expect(truncated.message).toMatch(/results in the link were ignored/);
    const future = readShareLink(`${encodeShareHash(spec)}&r=7.AAAA`, DEFAULT_SPEC);
    expect(future.message).toMatch(/newer version/);
    const wrongRun = readShareLink(
      `${encodeShareHash({ ...spec, runs: [{ id: 'other', method: 'sgd' }] })}&${hash.split('&')[1]}`,
      DEFAULT_SPEC,
    );
    expect(wrongRun.results).toBeUndefined();
    expect(wrongRun.message).toMatch(/must name a run of the spec/);
  });

  it('refuses results that inflate past 512 KB, or of an unknown format, and says so', () => {
    const bomb = toBase64Url(deflateSync(new Uint8Array(20 * 1024 * 1024).fill(32), { level: 9 }));
    const big = readShareLink(`${encodeShareHash(spec)}&r=1.${bomb}`, DEFAULT_SPEC);
    expect(big.results).toBeUndefined();
    expect(big.spec).toEqual(spec);
    expect(big.message).toMatch(
      /results in the link were ignored \(it is damaged or truncated \(it holds more than 512 KB of data\)\)/,
    );
    expect(readShareLink(`${encodeShareHash(spec)}&r=0.${bomb}`, DEFAULT_SPEC).message).toMatch(
      /format 0 is not one this lab knows/,
    );
  });

  it('still reads old #spec= links and says when a link held nothing', () => {
    const old = readShareLink(`#spec=${encodeURIComponent(JSON.stringify(spec))}`, DEFAULT_SPEC);
    expect(old).toEqual({ spec, found: true, message: null });
    expect(readShareLink('', DEFAULT_SPEC).found).toBe(false);
    expect(readShareLink('#x=1.garbage', DEFAULT_SPEC).message).toMatch(/damaged/);
  });

  it('writes the hash with replaceState as the spec is edited, once per change', () => {
    const store = createLabStore({ spec });
    const win = fakeWindow(`#spec=${encodeURIComponent(JSON.stringify(spec))}`);
    const stop = syncHashWithSpec(store, win);
    expect(win.calls).toEqual([`http://127.0.0.1/lab/${encodeShareHash(spec)}`]); // the old form is rewritten
    store.getState().updateSpec((d) => (d.train.lr = 0.5));
    expect(win.calls).toHaveLength(2);
    expect(readShareLink(win.location.hash, DEFAULT_SPEC).spec.train.lr).toBe(0.5);
    store.getState().setNotice('unrelated');
    expect(win.calls).toHaveLength(2);
    store.getState().updateSpec(() => {}); // an edit that changes nothing writes nothing
    expect(win.calls).toHaveLength(2);
    stop();
    store.getState().updateSpec((d) => (d.train.lr = 0.25));
    expect(win.calls).toHaveLength(2);
  });

  it('leaves a fresh page without a hash until the spec is edited', () => {
    const store = createLabStore({ spec });
    const win = fakeWindow('');
    syncHashWithSpec(store, win);
    expect(win.calls).toEqual([]);
    store.getState().loadPreset('duality-two-minutes');
    expect(win.calls).toHaveLength(1);
  });

  it('keeps a results link in the address bar until the spec is edited', () => {
    const store = createLabStore({ spec });
    const win = fakeWindow(shareLinkHash(spec, results(2)).hash);
    syncHashWithSpec(store, win);
    expect(win.calls).toEqual([]);
    store.getState().updateSpec((d) => (d.seed = 7));
    expect(win.location.hash).toBe(encodeShareHash({ ...spec, seed: 7 }));
  });
});
