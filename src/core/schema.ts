// Reading untrusted data (a spec, a results file, a share link, a saved experiment, the dataset
// manifest) with one schema library, valibot: the building blocks every reader uses, so that every
// number has a range, every string a length, every list a count and every object its own known keys
// only, and so that every refusal reads the same: "path: short reason", a bad value quoted cut
// short, at most a few issues and then "and K more".
import * as v from 'valibot';

/** One thing wrong with an input: the dotted path of the field, e.g. "runs[1].eps", and why. */
export interface InputIssue {
  path: string;
  message: string;
}

const QUOTE_CHARS = 40;
/** Issues spelled out in a message; the rest are counted. */
const MAX_SHOWN_ISSUES = 6;
const MAX_LINE_CHARS = 240;

const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** A value as a message shows it: short whatever its size or depth (never serialised whole). */
export function quote(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(cut(value, QUOTE_CHARS));
  if (Array.isArray(value)) return `a list of ${value.length}`;
  if (value === null || typeof value !== 'object') return cut(String(value), QUOTE_CHARS);
  return 'an object';
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function pathOf(issue: v.BaseIssue<unknown>): string {
  let out = '';
  for (const item of issue.path ?? []) {
    const key = item.key;
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && IDENTIFIER.test(key))
      out += out ? `.${cut(key, QUOTE_CHARS)}` : cut(key, QUOTE_CHARS);
    else out += `[${quote(key)}]`;
  }
  return out;
}

/** Valibot's issues as paths and messages, each path prefixed by `prefix` (the value's own name). */
export function toIssues(issues: readonly v.BaseIssue<unknown>[], prefix = ''): InputIssue[] {
  return issues.map((i) => {
    const path = pathOf(i);
    return {
      path: prefix && path ? `${prefix}${path.startsWith('[') ? '' : '.'}${path}` : prefix || path,
      message: i.message,
    };
  });
}

/** The issues as lines "path: message", each cut short, at most MAX_SHOWN_ISSUES then "and K more". */
export function formatIssues(issues: readonly InputIssue[], what = 'value'): string {
  const lines = issues.slice(0, MAX_SHOWN_ISSUES).map((i) => cut(`${i.path || what}: ${i.message}`, MAX_LINE_CHARS));
  if (issues.length > MAX_SHOWN_ISSUES) lines.push(`and ${issues.length - MAX_SHOWN_ISSUES} more`);
  return lines.join('\n');
}

/**
 * `f` over an untrusted list: by index, never through the list's own methods (a list read back
 * from a structured clone may carry a "constructor" of its own, which map and slice would use).
 */
export function mapList<T>(list: readonly unknown[], f: (item: unknown, i: number) => T, max = list.length): T[] {
  return Array.from({ length: Math.min(list.length, max) }, (_, i) => f(list[i], i));
}

// ---- building blocks ----------------------------------------------------------------------------

type Message = (issue: v.BaseIssue<unknown>) => string;
const got =
  (what: string): Message =>
  (issue) =>
    `${what}, got ${quote(issue.input)}`;

/** A finite number in [min, max] ((min, max] with minOpen), an integer with int. */
export function num(min: number, max: number, opts: { int?: boolean; minOpen?: boolean } = {}) {
  const m = got(`must be ${opts.int ? 'an integer' : 'a number'} in ${opts.minOpen ? '(' : '['}${min}, ${max}]`);
  // One check, so that a bad value is one issue.
  return v.pipe(
    v.number(m),
    v.check(
      (x) =>
        Number.isFinite(x) && (opts.minOpen ? x > min : x >= min) && x <= max && (!opts.int || Number.isInteger(x)),
      m,
    ),
  );
}

/** An integer in [min, max]. */
export const int = (min: number, max: number) => num(min, max, { int: true });

/**
 * A measured number in [min, max], or what a diverged or unmeasured value is: null in JSON (read
 * back as NaN), NaN or an infinity in a structured clone.
 */
export const metric = (min: number, max: number) =>
  v.pipe(
    v.custom<number | null>(
      (x) => x === null || (typeof x === 'number' && (!Number.isFinite(x) || (x >= min && x <= max))),
      got(`must be a number in [${min}, ${max}] or null`),
    ),
    v.transform((x) => (x === null ? NaN : x)),
  );

/** One of `values`. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  v.picklist(values, got(`must be one of ${values.join(', ')}`));

export const bool = v.boolean(got('must be true or false'));

/** A string of at most `max` characters, matching `pattern` when given (then `rule` says what it allows). */
export function text(max: number, pattern?: RegExp, rule?: string) {
  const m = got(
    pattern
      ? `must be ${rule ?? `a string matching ${pattern}`} (at most ${max} characters)`
      : `must be a string of at most ${max} characters`,
  );
  return v.pipe(
    v.string(m),
    v.check((s) => s.length <= max && (!pattern || pattern.test(s)), m),
  );
}

/** A JSON object: not null, not an array. */
export const isPlainObject = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);
const objectMessage: Message = (issue) => {
  if (issue.expected === 'never') return 'is not a known field';
  if (issue.kind === 'schema' && issue.input === undefined && issue.expected?.startsWith('"')) return 'is missing';
  return got('must be an object')(issue);
};

/** An object read for these keys only: other keys (an older page's, a copy kept for display) are dropped, not refused. */
export const known = <E extends v.ObjectEntries>(entries: E) => v.object(entries, objectMessage);

/** A plain object (not a list) with exactly these own keys: an unknown key, even "__proto__" or "constructor", is an issue. */
export function obj<E extends v.ObjectEntries>(entries: E) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, objectMessage),
    // Every unknown key, where strictObject names only the first.
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const input = dataset.value;
      for (const key of Object.keys(input)) {
        if (!Object.hasOwn(entries, key))
          addIssue({
            message: 'is not a known field',
            expected: 'never',
            path: [{ type: 'object', origin: 'key', input, key, value: input[key] }],
          });
      }
    }),
    v.strictObject(entries, objectMessage),
  );
}

/** One option of `variantOf`: exactly these own keys (the variant checks that it is a plain object). */
export const strict = <E extends v.ObjectEntries>(entries: E) => v.strictObject(entries, objectMessage);

/** A plain object told apart by its `key` field, each option a `strict` object. */
export function variantOf<K extends string, O extends v.VariantOptions<K>>(key: K, options: O) {
  return v.pipe(
    v.custom<v.InferInput<O[number]>>(isPlainObject, objectMessage),
    v.variant(
      key,
      options,
      (issue) =>
        `must be one of ${issue.expected?.replace(/["()]/g, '').replace(/ \| /g, ', ')}, got ${quote(issue.input)}`,
    ),
  );
}

/** A list of `min` to `max` items. */
export function list<S extends v.GenericSchema>(item: S, min: number, max: number) {
  const m = got(`must be a list of ${min} to ${max} entries`);
  return v.pipe(v.array(item, m), v.minLength(min, m), v.maxLength(max, m));
}

/** An object whose values are all `item`, with at most `max` own keys (a map by name). */
export function dict<S extends v.GenericSchema>(item: S, max: number) {
  return v.pipe(
    v.custom<Record<string, unknown>>(isPlainObject, got('must be an object')),
    v.check(
      (x) => Object.keys(x).length <= max,
      (issue) => `must have at most ${max} entries, got ${Object.keys(issue.input as object).length}`,
    ),
    v.record(v.string(), item, got('must be an object')),
  );
}
