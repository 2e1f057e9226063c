// The Content-Security-Policy (issue 14): the built page and the preview server carry it, and a
// whole session (train to the end with landscapes, history, exports) runs under it without one
// violation, in the page or logged from its workers.
import { CONTENT_SECURITY_POLICY } from '../scripts/vite/csp';
import { expect, test } from './fixtures';
import { ended } from './labPage';
import { tinySpec } from './tinySpec';

const violations = (page: import('@playwright/test').Page) =>
  page.evaluate(() => (window as unknown as { __csp: string[] }).__csp);

test('security: the page sends a CSP (header and meta), and a full session fires no CSP violation', async ({
  lab,
  page,
  baseURL,
}) => {
  const res = await fetch(baseURL!);
  expect(res.headers.get('content-security-policy'), 'the preview server sends the policy').toBe(
    CONTENT_SECURITY_POLICY,
  );
  const html = await res.text();
  expect(html, 'the built page carries the policy in a meta').toContain('http-equiv="Content-Security-Policy"');
  expect(html, 'the built page has no inline script').not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);

  const spec = tinySpec((s) => {
    s.dataset.trainSize = 128;
    s.train.epochs = 1;
    s.eval = { ...s.eval, attacks: [{ norm: 'linf', eps: 8 / 255 }], pgdSteps: 2 };
    s.landscape = { when: 'end', points1d: 5, points2d: 3, batchSize: 16, inputEps: 8 / 255 };
    s.runs = [
      { id: 'sgd', method: 'sgd' },
      { id: 'at', method: 'at', norm: 'linf', eps: 4 / 255, stepSize: 1 / 255, steps: 2 },
    ];
  });
  // Recorded from the page's first script on.
  await page.addInitScript(() => {
    const w = window as unknown as { __csp: string[] };
    w.__csp = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  await lab.open(spec, '&parallel=2');
  await lab.button('Train').click();
  // Ended, and with its landscape unless it failed (a refused wasm compile fails the runs).
  const s = await lab.until(
    'both runs to end with their landscapes',
    (st) =>
      st.runs.length === 2 &&
      st.runs.every((r) => ended(r) && (r.status !== 'done' || (st.landscapes[r.id]?.slices.length ?? 0) > 0)),
    240_000,
  );
  expect([...(await violations(page)), ...lab.errors], 'no CSP violation while training').toEqual([]);
  expect(
    s.runs.map((r) => [r.id, r.status, r.error]),
    'both runs done',
  ).toEqual([
    ['sgd', 'done', undefined],
    ['at', 'done', undefined],
  ]);
  await expect(lab.region('loss landscapes and sharpness').locator('[data-chart="weight-slice"]')).toBeVisible();
  await expect(lab.region('history').getByRole('listitem').first()).toBeVisible();
  for (const name of ['Results JSON', 'Clean accuracy PNG', 'Loss SVG', 'weights of sgd'])
    expect((await lab.download(name)).bytes.length, `the ${name} export`).toBeGreaterThan(0);
  expect(await violations(page), 'no CSP violation').toEqual([]);
  expect(lab.errors, "no page errors (a worker's CSP refusal is logged as one)").toEqual([]);
});
