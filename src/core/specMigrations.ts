// Numbered migrations of saved specs (share links, results files, recordings, saved experiments,
// spec files), applied to the raw object before parseSpec fills and checks it. Entry v turns a
// version-v object into version v+1 and changes only what version v+1 reads differently, so an
// old experiment runs as it ran. A spec without a version is taken as the current one (hand-written
// files); every spec the lab writes carries its version.
import { isPlainObject } from './schema';

type RawSpec = Record<string, unknown>;

export const SPEC_MIGRATIONS: Record<number, (raw: RawSpec) => RawSpec> = {
  // 1 -> 2: the evaluation PGD got a step-size schedule (eval.pgdSchedule, default 'cosine');
  // version 1 had only Madry's fixed step.
  1: (raw) => {
    const ev = isPlainObject(raw.eval) ? raw.eval : {};
    return { ...raw, version: 2, eval: { pgdSchedule: 'madry', ...ev } };
  },
  // 2 -> 3: the default 'cosine' schedule starts at about 2 eps instead of eps; version 2's cosine,
  // named or taken by default, is 'cosine-eps' now.
  2: (raw) => {
    const ev = isPlainObject(raw.eval) ? raw.eval : {};
    const old = ev.pgdSchedule;
    return {
      ...raw,
      version: 3,
      eval: { ...ev, pgdSchedule: old === undefined || old === 'cosine' ? 'cosine-eps' : old },
    };
  },
};

/** `raw` brought to the current version (a new object; the input is left as it is). */
export function migrateSpec(raw: RawSpec): RawSpec {
  let out = raw;
  const from = raw.version;
  if (typeof from !== 'number' || !Number.isInteger(from)) return out;
  for (let v = from; SPEC_MIGRATIONS[v]; v++) out = SPEC_MIGRATIONS[v](out);
  return out;
}
