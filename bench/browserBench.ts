// The browser backends: the bench page (bench/browser/) built like the lab and driven in headless
// Chromium (bench/labDriver.ts: SwiftShader for WebGL and WebGPU); one fresh worker per backend.
import type { BrowserContext } from 'playwright-core';
import { BACKEND_NAMES, type BackendName } from '../src/core/backend';
import { buildAndServe } from './lib/serve';
import type { SuitePlan, SuiteResult } from './lib/suite';

export async function runBrowserBench(
  context: BrowserContext,
  plan: (b: BackendName) => SuitePlan,
  log: (line: string) => void,
): Promise<{ results: SuiteResult[]; failed: string[] }> {
  const served = await buildAndServe('bench/browser/index.html');
  const results: SuiteResult[] = [];
  const failed: string[] = [];
  try {
    for (const backend of BACKEND_NAMES) {
      log(`chromium ${backend}:`);
      const page = await context.newPage();
      page.on('console', (m) => log(m.text()));
      try {
        await page.goto(served.url);
        await page.waitForFunction(() => '__bench' in window);
        const request = { backend, plan: plan(backend) };
        results.push(
          await page.evaluate(
            (r) => (window as unknown as { __bench: { run(r: unknown): Promise<SuiteResult> } }).__bench.run(r),
            request,
          ),
        );
      } catch (e) {
        const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
        failed.push(`${backend}: ${why}`);
        log(`  ${backend}: failed: ${why}`);
      } finally {
        await page.close();
      }
    }
  } finally {
    await served.close();
  }
  return { results, failed };
}
