// A tiny test runner: cases are plain async functions, run one after another; one line per case
// and a last line "e2e: N passed, M failed, K skipped".

export interface Case {
  name: string;
  fn: () => Promise<void>;
}

/** Thrown by a case that cannot run here (e.g. the real data is absent): printed with its reason, not a failure. */
export class Skip extends Error {}

export async function runCases(cases: Case[]): Promise<{ passed: number; failed: number; skipped: number }> {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const c of cases) {
    const t0 = Date.now();
    try {
      await c.fn();
      passed++;
      console.log(`ok   ${c.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    } catch (e) {
      if (e instanceof Skip) {
        skipped++;
        console.log(`skip ${c.name}: ${e.message}`);
        continue;
      }
      failed++;
      console.log(`FAIL ${c.name} (${((Date.now() - t0) / 1000).toFixed(1)} s)\n     ${(e instanceof Error ? e.stack ?? e.message : String(e)).split('\n').join('\n     ')}`);
    }
  }
  console.log(`e2e: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  return { passed, failed, skipped };
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

// The page draws the store's state a frame or two later (deferred rendering keeps the Train click
// and the worker messages short), so a DOM read right after a state wait may see the previous
// frame. Reads until `ok` holds or the time is up, and returns the last value for the check.
export async function settled<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 5_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
