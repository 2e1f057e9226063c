// The key chart of a lesson step, as plain data: the recorded run (drawn faded) and the live one
// (drawn over it), each from the same kind of input, so the class sees the same picture appear.
// Which chart a step gets follows from its spec: landscapes at the end show the two 1-D slices,
// more than three runs the clean-versus-robust trade-off, anything else accuracy over epochs.
import type { LandscapeResult } from '../../core/landscape/results';
import { attackKey, type ExperimentSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { attackLabel, formatEps } from '../../core/budgetLabel';
import { runLabel } from '../../state/runLabel';
import { fitDomain } from '../charts/fitDomain';
import { attackDash, runColor } from '../palette';

export type StepView = 'accuracy' | 'tradeoff' | 'landscapes';

/** What one source (the recording at the replayed step, or the live runs) shows, in the spec's run order. */
export interface StepSource {
  histories: HistoryPoint[][];
  landscapes: (LandscapeResult[] | undefined)[];
}

export interface ChartLine {
  key: string;
  name: string;
  color: string;
  dash: string;
  recorded: boolean;
  points: { x: number; y: number }[];
}

export interface ChartDot {
  key: string;
  name: string;
  color: string;
  recorded: boolean;
  x: number;
  y: number;
}

export interface ChartPanel {
  id: string;
  title: string;
  xLabel: string;
  yLabel: string;
  xDomain: [number, number];
  yDomain: [number, number];
  xFormat: 'percent' | 'number' | 'eps';
  yFormat: 'percent' | 'number';
  lines: ChartLine[];
  dots: ChartDot[];
  /** Shown in the plot while it has nothing to draw. */
  empty: string;
}

export function stepView(spec: ExperimentSpec): StepView {
  if (spec.landscape.when === 'end') return 'landscapes';
  if (spec.runs.length > 3 && spec.eval.attacks.length > 0) return 'tradeoff';
  return 'accuracy';
}

const tag = (recorded: boolean) => (recorded ? 'recorded' : 'live');

function accuracyPanel(spec: ExperimentSpec, sources: [StepSource | undefined, boolean][]): ChartPanel {
  const lines: ChartLine[] = [];
  for (const [src, recorded] of sources) {
    if (!src) continue;
    spec.runs.forEach((run, i) => {
      const h = src.histories[i] ?? [];
      const name = runLabel(run);
      lines.push({
        key: `${tag(recorded)}|${run.id}|clean`,
        name: `${name} clean`,
        color: runColor(i),
        dash: '',
        recorded,
        points: h.map((p) => ({ x: p.epoch, y: p.cleanAcc })),
      });
      spec.eval.attacks.forEach((a, k) => {
        const key = attackKey(a);
        lines.push({
          key: `${tag(recorded)}|${run.id}|${key}`,
          name: `${name} robust ${attackLabel(a)}`,
          color: runColor(i),
          dash: attackDash(k),
          recorded,
          points: h.filter((p) => p.robust[key] !== undefined).map((p) => ({ x: p.epoch, y: p.robust[key] })),
        });
      });
    });
  }
  const attacks =
    spec.eval.attacks.length > 0 ? `, robust (dashed: ${spec.eval.attacks.map(attackLabel).join(', ')})` : '';
  return {
    id: 'accuracy',
    title: `Test accuracy: clean (solid)${attacks}`,
    xLabel: 'epoch',
    yLabel: 'accuracy',
    xDomain: [0, spec.train.epochs],
    yDomain: [0, 1],
    xFormat: 'number',
    yFormat: 'percent',
    lines: lines.filter((l) => l.points.length > 0),
    dots: [],
    empty: 'no evaluation yet',
  };
}

function tradeoffPanel(spec: ExperimentSpec, sources: [StepSource | undefined, boolean][]): ChartPanel {
  // The largest budget: where the runs differ most.
  const attack = spec.eval.attacks.reduce((a, b) => (b.eps > a.eps ? b : a));
  const key = attackKey(attack);
  const lines: ChartLine[] = [];
  const dots: ChartDot[] = [];
  for (const [src, recorded] of sources) {
    if (!src) continue;
    spec.runs.forEach((run, i) => {
      const path = (src.histories[i] ?? [])
        .filter((p) => p.robust[key] !== undefined)
        .map((p) => ({ x: p.cleanAcc, y: p.robust[key] }));
      if (path.length === 0) return;
      const last = path[path.length - 1];
      lines.push({
        key: `${tag(recorded)}|${run.id}`,
        name: runLabel(run),
        color: runColor(i),
        dash: '',
        recorded,
        points: path,
      });
      dots.push({ key: `${tag(recorded)}|${run.id}`, name: runLabel(run), color: runColor(i), recorded, ...last });
    });
  }
  return {
    id: 'tradeoff',
    title: `Clean vs robust accuracy at ${attackLabel(attack)} (dot: latest; line: its path)`,
    xLabel: 'clean accuracy',
    yLabel: `robust at ${formatEps(attack.eps)}`,
    xDomain: fitDomain(
      dots.map((d) => d.x),
      5,
    ),
    yDomain: fitDomain(
      dots.map((d) => d.y),
      5,
    ),
    xFormat: 'percent',
    yFormat: 'percent',
    lines,
    dots,
    empty: 'no evaluation yet',
  };
}

function slicePanels(spec: ExperimentSpec, sources: [StepSource | undefined, boolean][]): ChartPanel[] {
  const weight: ChartLine[] = [];
  const input: ChartLine[] = [];
  for (const [src, recorded] of sources) {
    if (!src) continue;
    spec.runs.forEach((run, i) => {
      for (const r of src.landscapes[i] ?? []) {
        const base = { name: runLabel(run), color: runColor(i), dash: '', recorded };
        if (r.kind === 'weight-1d')
          weight.push({
            ...base,
            key: `${tag(recorded)}|${run.id}`,
            points: r.alphas.map((x, k) => ({ x, y: r.loss[k] })).filter((p) => Number.isFinite(p.y)),
          });
        if (r.kind === 'input-1d')
          input.push({
            ...base,
            key: `${tag(recorded)}|${run.id}`,
            points: r.ts.map((x, k) => ({ x, y: r.lossAdv[k] })).filter((p) => Number.isFinite(p.y)),
          });
      }
    });
  }
  const panel = (
    id: string,
    title: string,
    xLabel: string,
    lines: ChartLine[],
    xFormat: ChartPanel['xFormat'],
  ): ChartPanel => {
    const xs = lines.flatMap((l) => l.points.map((p) => p.x));
    const ys = lines.flatMap((l) => l.points.map((p) => p.y));
    return {
      id,
      title,
      xLabel,
      yLabel: 'loss',
      xDomain: xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [-1, 1],
      yDomain: [0, ys.length > 0 ? Math.max(...ys) * 1.05 : 1],
      xFormat,
      yFormat: 'number',
      lines,
      dots: [],
      empty: 'computed when training ends',
    };
  };
  return [
    panel('weight-1d', 'Loss around the weights (1-D slice)', 'step along a random weight direction', weight, 'number'),
    panel(
      'input-1d',
      `Loss around the inputs (adversarial direction, up to ${formatEps(spec.landscape.inputEps)})`,
      'input step (of 255)',
      input,
      'eps',
    ),
  ];
}

/** The step's key chart: its panels, the recording's lines first (drawn underneath), then the live ones. */
export function stepPanels(
  spec: ExperimentSpec,
  recorded: StepSource | undefined,
  live: StepSource | undefined,
): ChartPanel[] {
  const sources: [StepSource | undefined, boolean][] = [
    [recorded, true],
    [live, false],
  ];
  const view = stepView(spec);
  if (view === 'landscapes') return slicePanels(spec, sources);
  if (view === 'tradeoff') return [tradeoffPanel(spec, sources)];
  return [accuracyPanel(spec, sources)];
}
