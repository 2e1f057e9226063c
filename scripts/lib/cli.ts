// The scripts' command lines, read with node:util parseArgs (strict: an unknown flag or a flag
// without its value is an error). Bad usage stops a command before it does anything, with one
// short line and exit status 2; a command that ran and failed exits 1.
import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';

/** Bad usage: an unknown flag, a missing or bad value. */
export class UsageError extends Error {}

export const USAGE_EXIT = 2;

/** The flags and positionals of argv as `options` declares them; a UsageError names what is wrong. */
export function readArgs<const O extends ParseArgsOptionsConfig>(argv: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args: argv, options, allowPositionals, strict: true });
  } catch (e) {
    // parseArgs' first sentence says it ("Unknown option '--x'"); the rest is advice on dashes.
    throw new UsageError((e as Error).message.split(/\.\s|\n/)[0]);
  }
}

/** A whole number of at least `min`, e.g. `--epochs 3`. */
export function wholeNumber(flag: string, text: string, min = 1): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min)
    throw new UsageError(`${flag} must be a whole number >= ${min}, got "${text}"`);
  return n;
}

/** A comma-separated list of whole numbers, e.g. `--seeds 1,2,3`. */
export function wholeNumbers(flag: string, text: string, min = 0): number[] {
  const parts = text.split(',');
  if (parts.some((p) => !/^\s*\d+\s*$/.test(p)))
    throw new UsageError(`${flag} must be whole numbers separated by commas, got "${text}"`);
  return parts.map((p) => wholeNumber(flag, p, min));
}

/** One of `allowed`, e.g. `--backend wasm`. */
export function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(text))
    throw new UsageError(`${flag} must be one of ${allowed.join(', ')}, got "${text}"`);
  return text as T;
}

/**
 * Runs a command's main and exits with its status: 2 with `name: message` and `hint` for a
 * UsageError, 1 with the message for any other error.
 */
export function runCommand(name: string, hint: string, main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (e: unknown) => {
      const usage = e instanceof UsageError;
      process.stderr.write(`${name}: ${e instanceof Error ? e.message : String(e)}\n${usage ? `${hint}\n` : ''}`);
      process.exit(usage ? USAGE_EXIT : 1);
    },
  );
}
