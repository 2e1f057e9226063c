// The front door in numbers: the default preset as a new user runs it (a fresh browser profile, one
// click on Train), timed from the click to each run's first plotted point and to the end of every
// run, with the backend on "auto" and forced, and with the runs in one worker (the page's default)
// or in a worker each.
import { DEFAULT_PRESET_ID, PRESETS } from '../src/core/presets';
import type { BackendChoice } from '../src/core/spec';
import { clickButton, ended, launchChromium, openLab } from './labDriver';

export interface PresetTimingConfig {
  backend: BackendChoice;
  /** Run workers (the page's ?workers=); undefined: the page's default, one for every run. */
  workers?: number;
  /** Give up after this long and report how far the runs got. */
  capMs: number;
}

export interface PresetTiming extends PresetTimingConfig {
  backendUsed?: string;
  /** What "auto" chose and why, and when (ms after the click). */
  reason?: string;
  chosenMs?: number;
  /** Click -> the run's first evaluation on the chart, per run. */
  firstPointMs: Record<string, number>;
  /** Click -> every run ended; undefined when the cap came first. */
  doneMs?: number;
  /** Fraction of all steps done when the timing stopped. */
  progress: number;
  statuses: string[];
  errors: string[];
}

export async function timePreset(
  url: string,
  config: PresetTimingConfig,
  log: (line: string) => void,
): Promise<PresetTiming> {
  const spec = structuredClone(PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!.spec);
  spec.train.backend = config.backend;
  // A fresh profile each time: nothing remembered, as for a new user.
  const browser = await launchChromium();
  const out: PresetTiming = { ...config, firstPointMs: {}, progress: 0, statuses: [], errors: [] };
  try {
    const lab = await openLab(
      browser.context,
      url,
      config.backend === 'auto' ? undefined : spec,
      config.workers ? `&workers=${config.workers}` : '',
    );
    const t0 = Date.now();
    await clickButton(lab.page, 'Train');
    for (;;) {
      const s = await lab.state();
      const now = Date.now() - t0;
      if (out.chosenMs === undefined && s.backendChoice && s.backendChoice.state !== 'measuring') {
        out.chosenMs = now;
        out.reason = s.backendChoice.reason;
      }
      for (const r of s.runs)
        if (r.evaluations > 0 && out.firstPointMs[r.id] === undefined) out.firstPointMs[r.id] = now;
      const total = s.runs.reduce((a, r) => a + r.totalSteps, 0);
      out.progress = total > 0 ? s.runs.reduce((a, r) => a + r.step, 0) / total : 0;
      out.backendUsed = s.runs.find((r) => r.backend)?.backend;
      out.statuses = s.runs.map((r) => `${r.id}: ${r.status}`);
      if (s.runs.length > 0 && s.runs.every(ended)) {
        out.doneMs = now;
        break;
      }
      if (now > config.capMs) break;
      await lab.page.waitForTimeout(100);
    }
    out.errors.push(...lab.errors);
    await lab.page.close();
  } finally {
    await browser.close();
  }
  const firsts = Object.entries(out.firstPointMs).map(([id, ms]) => `${id} ${(ms / 1000).toFixed(1)} s`);
  log(
    `page: default preset, ${config.backend}${config.workers ? `, ${config.workers} workers` : ''}: first points ${firsts.join(', ') || 'none'}; ` +
      (out.doneMs !== undefined
        ? `all done in ${(out.doneMs / 1000).toFixed(1)} s`
        : `${(out.progress * 100).toFixed(0)} % of the steps after ${(config.capMs / 1000).toFixed(0)} s`) +
      (out.reason ? ` (${out.reason})` : ''),
  );
  return out;
}
