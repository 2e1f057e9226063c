// Debian's system Chromium ($CHROMIUM_PATH overrides it) driven by playwright-core (no browser is
// ever downloaded). Headless Chromium has no GPU here: WebGL and WebGPU run on SwiftShader, on the CPU.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { chromiumExecutable } from '../scripts/lib/chromium';

/** Fails at once, with the install command, when Chromium is missing. */
export async function launchChromium(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const executablePath = chromiumExecutable();
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath,
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
