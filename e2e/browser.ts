// Debian's system Chromium driven by playwright-core (no browser is ever downloaded). Headless
// Chromium has no GPU here: WebGL and WebGPU run on SwiftShader, on the CPU.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** apt may still be installing Chromium when the suite starts: wait for it (at most `ms`). */
export async function waitForChromium(ms = 300_000): Promise<void> {
  const until = Date.now() + ms;
  while (!fs.existsSync(CHROMIUM)) {
    if (Date.now() > until) throw new Error(`${CHROMIUM} did not appear: install Debian's chromium package`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}

export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1400, height: 1000 },
    args: [
      '--enable-unsafe-webgpu',
      '--enable-unsafe-swiftshader',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
      '--no-sandbox',
    ],
  });
  return {
    context,
    async close() {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
