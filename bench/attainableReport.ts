// The report's "Attainable FLOP/s and the steps' share of it": each backend's matmul and conv
// GFLOP/s, each step's GFLOP/s as a share of the conv of its model's width, and, on wasm, the
// lab's step time against PyTorch's on the same thread count (issue 17's goal: within 1.5x).
import type { AttainableResult } from './lib/attainable';
import type { MethodKey } from './lib/measure';
import type { SuiteResult } from './lib/suite';
import type { BenchResult } from './bench';

/** Issue 17: on wasm, the lab's step within this factor of PyTorch CPU's, thread for thread. */
const GOAL = 1.5;

const g = (v: number, d = 1) => v.toFixed(d);
/** GFLOP/s to three significant digits: SwiftShader's are hundredths of wasm's. */
const gf = (v: number) => String(Number(v.toPrecision(3)));
const threadsLabel = (n: number | undefined) => (n === undefined ? '? threads' : n === 1 ? '1 thread' : `${n} threads`);
const pct = (v: number) => `${(v * 100).toFixed(0)} %`;

/** The width in a case key (`preact-resnet10-w16-b64`). */
const widthOf = (caseKey: string) => Number(/-w(\d+)-/.exec(caseKey)?.[1]);

/** The conv of the model's width (its first stage), else the fastest conv measured. */
function convFor(a: AttainableResult, width: number): number | undefined {
  const same = a.convs.find((c) => c.shape.cIn === width);
  return same?.gflops ?? (a.convs.length ? Math.max(...a.convs.map((c) => c.gflops)) : undefined);
}

const cell = (gflops: number, conv: number | undefined) => `${gf(gflops)}${conv ? ` (${pct(gflops / conv)})` : ''}`;

interface Row {
  backend: string;
  case: string;
  /** GFLOP/s per method. */
  gflops: Partial<Record<MethodKey, number>>;
  attainable: AttainableResult;
}

export function attainableMarkdown(r: BenchResult): string[] {
  const suites = [...r.node, ...r.browser].filter((s): s is SuiteResult & { attainable: AttainableResult } =>
    Boolean(s.attainable),
  );
  const torch = r.pytorch.attainable;
  if (!suites.length) return [];
  const timings = suites.flatMap((s) => s.items.flatMap((i) => (i.timing ? [{ i, t: i.timing }] : [])));
  const stepFlops = (c: string, m: MethodKey): number | undefined =>
    timings.find((x) => x.i.case === c && x.i.method === m)?.t.stepFlops;
  const methods = [...new Set(timings.map((x) => x.i.method))];

  const rows: Row[] = [];
  for (const s of suites)
    for (const c of [...new Set(s.items.filter((i) => i.timing).map((i) => i.case))])
      rows.push({
        backend: s.backend,
        case: c,
        attainable: s.attainable,
        gflops: Object.fromEntries(
          s.items.flatMap((i) => (i.case === c && i.timing ? [[i.method, i.timing.gflops]] : [])),
        ),
      });
  if (torch)
    for (const t of r.pytorch.results)
      rows.push({
        backend: 'pytorch',
        case: t.case,
        attainable: torch,
        gflops: Object.fromEntries(
          Object.entries(t.ms).flatMap(([m, ms]) => {
            const flops = stepFlops(t.case, m as MethodKey);
            return flops ? [[m, flops / ms / 1e6]] : [];
          }),
        ),
      });

  const out: string[] = ['', "## Attainable FLOP/s and the steps' share of it", ''];
  out.push(
    "Median GFLOP/s of a square matmul (2 n^3 FLOPs) and of a conv per model width (32x32, C->C, 3x3, same padding: 2 N H W Cin Cout k^2), timed in the backend and thread count of its steps, after a warm-up, with a read-back. Smaller shapes off wasm (cpu is ~50x slower, SwiftShader's WebGPU conv ~1,000x).",
    '',
  );
  out.push('| backend | threads | matmul GFLOP/s | conv GFLOP/s |', '|---|---:|---|---|');
  for (const [backend, a] of [
    ...suites.map((s) => [s.backend, s.attainable] as const),
    ...(torch ? [['pytorch', torch] as const] : []),
  ])
    out.push(
      `| ${backend} | ${a.threads ?? '–'} | ${gf(a.matmul.gflops)} (n = ${a.matmul.op.split(' ')[1]}) | ${a.convs.map((c) => `${gf(c.gflops)} (b${c.shape.batch}, ${c.shape.cIn} ch)`).join(', ')} |`,
    );

  if (!rows.some((row) => Object.keys(row.gflops).length)) return out;
  out.push('', "Each step's GFLOP/s (`flopsPerExample`, as above) and its share of the conv of its model's width:", '');
  out.push(
    `| backend | case | conv GFLOP/s | ${methods.join(' | ')} |`,
    `|---|---|---:|${methods.map(() => '---:').join('|')}|`,
  );
  for (const row of rows) {
    const conv = convFor(row.attainable, widthOf(row.case));
    const cells = methods.map((m) => {
      const v = row.gflops[m];
      return v === undefined ? '–' : cell(v, conv);
    });
    out.push(`| ${row.backend} | ${row.case} | ${conv === undefined ? '–' : gf(conv)} | ${cells.join(' | ')} |`);
  }

  if (!torch || !r.pytorch.results.length) return out;
  for (const s of suites.filter((x) => x.backend.endsWith('wasm'))) {
    const same = s.attainable.threads === torch.threads;
    const ratios: number[] = [];
    const lines: string[] = [];
    for (const t of r.pytorch.results)
      for (const [m, ms] of Object.entries(t.ms)) {
        const lab = s.items.find((i) => i.case === t.case && i.method === m)?.timing;
        if (!lab) continue;
        const ratio = lab.medianMs / ms;
        ratios.push(ratio);
        const w = widthOf(t.case);
        const labConv = convFor(s.attainable, w);
        const torchConv = convFor(torch, w);
        const shares =
          labConv && torchConv ? `${pct(lab.gflops / labConv)} / ${pct(lab.stepFlops / ms / 1e6 / torchConv)}` : '–';
        lines.push(
          `| ${t.case} | ${m} | ${g(lab.medianMs)} | ${g(ms)} | ${g(ratio, 2)} | ${!same ? 'n/a' : ratio <= GOAL ? 'holds' : '**over**'} | ${shares} |`,
        );
      }
    if (lines.length) {
      out.push(
        '',
        `${s.backend} (${threadsLabel(s.attainable.threads)}) against PyTorch (${threadsLabel(torch.threads)}): lab ms / PyTorch ms, goal <= ${GOAL}${same ? '' : ' (**not thread for thread**: no verdict)'}; the share of the conv figure shows whether the gap is in the kernels or around them.`,
        '',
        '| case | method | lab ms | PyTorch ms | lab / PyTorch | goal | share of conv: lab / PyTorch |',
        '|---|---|---:|---:|---:|---|---|',
        ...lines,
      );
      if (same)
        out.push(
          '',
          `Goal (lab step <= ${GOAL} x PyTorch's) holds on ${ratios.filter((v) => v <= GOAL).length} of ${ratios.length} steps.`,
        );
    }
    const kernels = [s.attainable.matmul, ...s.attainable.convs].flatMap((o) => {
      const p = [torch.matmul, ...torch.convs].find((x) => x.op === o.op);
      return p ? [`${o.op} x${g(p.gflops / o.gflops, 2)}`] : [];
    });
    if (kernels.length) out.push('', `Kernels alone, PyTorch GFLOP/s / ${s.backend} GFLOP/s: ${kernels.join(', ')}.`);
  }
  return out;
}
