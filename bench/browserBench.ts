// The browser backends: the bench page (bench/browser/, built and served by bench.ts) driven in
// headless Chromium (bench/labDriver.ts: SwiftShader for WebGL and WebGPU); one fresh worker per
// backend, each running one job (the lab's suite or the race against the peers).
import type { BrowserContext } from 'playwright-core';
import type { BackendName } from '../src/core/backend';
import type { BenchJob, BenchRequest, BenchResultOf } from './browser/protocol';

export async function runBrowserBench<J extends BenchJob>(
  context: BrowserContext,
  url: string,
  backends: readonly BackendName[],
  job: (b: BackendName) => J,
  log: (line: string) => void,
): Promise<{ results: BenchResultOf<J>[]; failed: string[] }> {
  const results: BenchResultOf<J>[] = [];
  const failed: string[] = [];
  for (const backend of backends) {
    log(`chromium ${backend}${job(backend).kind === 'peers' ? ' (peers)' : ''}:`);
    const page = await context.newPage();
    page.on('console', (m) => log(m.text()));
    try {
      await page.goto(url);
      await page.waitForFunction(() => '__bench' in window);
      const request: BenchRequest = { backend, job: job(backend) };
      results.push(
        (await page.evaluate(
          (r) => (window as unknown as { __bench: { run(r: unknown): Promise<unknown> } }).__bench.run(r),
          request,
        )) as BenchResultOf<J>,
      );
    } catch (e) {
      const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
      failed.push(`${backend}: ${why}`);
      log(`  ${backend}: failed: ${why}`);
    } finally {
      await page.close();
    }
  }
  return { results, failed };
}
