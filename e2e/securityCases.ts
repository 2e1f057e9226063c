// End-to-end case of the Content-Security-Policy (issue 14): the built page and the preview server
// carry it, and a whole session (train to the end with landscapes, history, exports) runs under
// it without one violation, in the page or logged from its workers.
import fs from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { CONTENT_SECURITY_POLICY } from '../scripts/vite/csp';
import type { TestSnapshot } from '../src/state/testHook';
import { clickButton, ended, openLab, tinySpec, waitForState } from './lab';
import { check, type Case } from './runner';

async function download(page: Page, name: string): Promise<Buffer> {
  const [file] = await Promise.all([page.waitForEvent('download'), page.locator('.export').getByRole('button', { name, exact: true }).click()]);
  return fs.readFileSync(await file.path());
}

export function securityCases(context: BrowserContext, url: string): Case[] {
  return [
    {
      name: 'security: the page sends a CSP (header and meta), and a full session fires no CSP violation',
      async fn() {
        const res = await fetch(url);
        check(res.headers.get('content-security-policy') === CONTENT_SECURITY_POLICY, `the preview server sends the policy, got ${res.headers.get('content-security-policy')}`);
        const html = await res.text();
        check(html.includes('http-equiv="Content-Security-Policy"'), 'the built page carries the policy in a meta');
        check(!/<script(?![^>]*\bsrc=)[^>]*>/.test(html), 'the built page has no inline script');

        const spec = tinySpec((s) => {
          s.dataset.trainSize = 128;
          s.train.epochs = 1;
          s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 2 };
          s.landscape = { when: 'end', points1d: 5, points2d: 3, batchSize: 16, inputEps: 8 / 255 };
          s.runs = [{ id: 'sgd', method: 'sgd' }, { id: 'at', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 2 }];
        });
        const lab = await openLab(context, url, spec, '&parallel=2');
        // Recorded from the page's first script on: the reload runs the page again under the listener.
        await lab.page.addInitScript(() => {
          const w = window as unknown as { __csp: string[] };
          w.__csp = [];
          document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
        });
        await lab.page.reload();
        await lab.page.waitForFunction(() => 'getState' in ((window as unknown as { __dualityLab?: object }).__dualityLab ?? {}));
        await clickButton(lab.page, 'Train');
        // Ended, and with its landscape unless it failed (a refused wasm compile fails the runs).
        const withLandscape = (st: TestSnapshot, id: string) => (st.landscapes[id]?.slices.length ?? 0) > 0;
        const s = await waitForState(lab, (st) => st.runs.length === 2 && st.runs.every((r) => ended(r) && (r.status !== 'done' || withLandscape(st, r.id))), 150_000, 'both runs to end with their landscapes');
        const early = await lab.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
        check(early.length === 0 && lab.errors.length === 0, `no CSP violation while training, got ${[...early, ...lab.errors].join('; ')}`);
        check(s.runs.every((r) => r.status === 'done'), `both runs done, got ${s.runs.map((r) => `${r.id} ${r.status} ${r.error ?? ''}`).join('; ')}`);
        await lab.page.locator('.landscape-section [data-chart="weight-slice"]').waitFor();
        await lab.page.locator('.history-item').first().waitFor();
        check((await download(lab.page, 'Results JSON')).length > 0, 'the results export');
        check((await download(lab.page, 'Clean accuracy PNG')).length > 0, 'the PNG export');
        check((await download(lab.page, 'Loss SVG')).length > 0, 'the SVG export');
        check((await download(lab.page, 'weights of sgd')).length > 0, 'the weights export');
        const violations = await lab.page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
        check(violations.length === 0, `no CSP violation, got ${violations.join('; ')}`);
        check(lab.errors.length === 0, `no page errors (a worker's CSP refusal is logged as one): ${lab.errors.join('; ')}`);
        await lab.page.close();
      },
    },
  ];
}
