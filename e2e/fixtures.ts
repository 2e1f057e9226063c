// The suite's `test`: every case gets a fresh browser profile in a persistent context (as a user's
// browser has: IndexedDB, Cache Storage, localStorage and Web Locks that outlive a reload) and a
// `lab`, the page object of its first page. Cases import `test` and `expect` from here.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { LabPage } from './labPage';

export const test = base.extend<{ lab: LabPage }>({
  context: async ({ playwright, launchOptions, headless, viewport, acceptDownloads, baseURL }, use) => {
    const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-e2e-'));
    // Launched through the runner's `playwright`, so traces and failure screenshots are recorded.
    const context = await playwright.chromium.launchPersistentContext(profile, {
      ...launchOptions,
      headless,
      viewport,
      acceptDownloads,
      baseURL,
    });
    await use(context);
    await context.close();
    fs.rmSync(profile, { recursive: true, force: true });
  },
  page: async ({ context }, use) => {
    await use(context.pages()[0] ?? (await context.newPage()));
  },
  lab: async ({ page }, use) => {
    await use(new LabPage(page));
  },
});

export { expect } from '@playwright/test';
