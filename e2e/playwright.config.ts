// `npm run e2e`: Playwright Test drives the built page (the test command builds it first) in the
// system Chromium, never a downloaded one. Two preview servers: one serves the suite's fixture
// datasets, one the repo's own datasets/ (the real-data cases). The front-door case starts its dev
// server itself (frontDoor.spec.ts), so its dependency cache is empty when the page first loads.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_FLAGS } from './chromiumFlags';
import { chromiumExecutable } from '../scripts/lib/chromium';
import { SERVERS, servers } from './servers';

// Free ports, chosen once in the runner's process; its workers inherit them through the environment
// (fixed ports would collide with, or silently reuse, another checkout's servers on this machine).
await servers.choosePorts();

export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  outputDir: 'artifacts/test-results',
  // The page trains in workers and the machine has two cores: one case at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: Boolean(process.env.CI),
  retries: process.env.CI ? 1 : 0,
  // Generous: training runs on shared CPUs. The conditions themselves are strict.
  timeout: 360_000,
  expect: { timeout: 20_000 },
  reporter: [['list'], ['html', { outputFolder: 'artifacts/report', open: 'never' }]],
  use: {
    baseURL: servers.url('preview'),
    viewport: { width: 1400, height: 1000 },
    headless: true,
    launchOptions: { executablePath: chromiumExecutable(), args: CHROMIUM_FLAGS },
    // A trace snapshots the page's DOM on its main thread at every action and poll, which the
    // long-task checks (lab.spec.ts, duality.spec.ts) would then measure: traces on the retry only.
    trace: 'on-first-retry',
    screenshot: 'only-on-failure',
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
  },
  webServer: SERVERS.map((name) => ({
    command: `npx tsx e2e/previewServer.ts ${name} ${servers.port(name)}`,
    cwd: path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'),
    url: servers.url(name),
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'ignore',
    stderr: 'pipe',
  })),
});
