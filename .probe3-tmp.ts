import { launchChromium } from './e2e/browser';
import { servePreview } from './e2e/server';
import { openLab, tinySpec, clickButton, waitForState, ended } from './e2e/lab';
const srv = await servePreview();
const b = await launchChromium();
const lab = await openLab(b.context, srv.url, tinySpec());
await lab.page.waitForTimeout(1000);
const cdp = await b.context.newCDPSession(lab.page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 500 });
await cdp.send('Profiler.start');
const t0 = await lab.page.evaluate(() => performance.now());
await clickButton(lab.page, 'Train');
await waitForState(lab, (s) => s.runs.length === 3 && s.runs.every(ended), 120000, 'end');
const { profile } = await cdp.send('Profiler.stop') as any;
const tasks: [number, number][] = await lab.page.evaluate((t) => (window as any).__longTasks.filter((x: any) => x.start > t && x.duration > 200).map((x: any) => [x.start, x.duration]), t0);
// profile times are in microseconds of a monotonic clock; align via the first sample ~ profile.startTime
const byId = new Map(profile.nodes.map((n: any) => [n.id, n]));
const parent = new Map<number, number>(); for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
let t = profile.startTime; const times: number[] = [];
for (const d of profile.timeDeltas) { t += d; times.push(t); }
// page performance.now() origin: estimate offset using timeOrigin
const origin = await lab.page.evaluate(() => performance.timeOrigin);
console.log('origin', origin, 'prof start', profile.startTime);
const stackOf = (id: number) => { const out: string[] = []; let c: any = id; while (c !== undefined) { const n: any = byId.get(c); const f = n.callFrame; if (f.functionName !== '(root)') out.push(`${f.functionName || '(anon)'}@${f.url.split('/').pop()}:${f.lineNumber}`); c = parent.get(c); } return out; };
// Find busy windows in the profile: contiguous non-idle samples
let runStart = -1; const windows: [number, number, Map<string, number>][] = []; let agg = new Map<string, number>();
profile.samples.forEach((id: number, i: number) => {
  const n: any = byId.get(id); const idle = n.callFrame.functionName === '(idle)';
  if (!idle) { if (runStart < 0) { runStart = times[i]; agg = new Map(); } const st = stackOf(id); const key = st.slice(-3).reverse().join(' > ') + ' || ' + (st[0] ?? ''); agg.set(key, (agg.get(key) ?? 0) + (profile.timeDeltas[i + 1] ?? 0)); }
  else if (runStart >= 0) { windows.push([runStart, times[i] - runStart, agg]); runStart = -1; }
});
for (const [s, d, a] of windows.filter((w) => w[1] > 200000).slice(0, 6)) {
  console.log(`busy ${(d / 1000).toFixed(0)} ms`);
  console.log([...a].sort((x, y) => y[1] - x[1]).slice(0, 8).map(([k, v]) => `   ${(v / 1000).toFixed(0)}ms ${k}`).join('\n'));
}
console.log(JSON.stringify(tasks.map(([s, d]) => [Math.round(s - t0), Math.round(d)])));
await b.close(); await srv.close();
