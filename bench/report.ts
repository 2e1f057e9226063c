// The markdown summary of one benchmark result (printed at the end and kept beside the JSON).
import { attainableMarkdown } from './attainableReport';
import { idealRatio, pgdSteps, type MethodKey } from './lib/measure';
import type { SuiteResult } from './lib/suite';
import type { BenchResult } from './bench';
import type { PeerSuiteResult } from './peers/peerSuite';
import type { PageResult } from './pageBench';

const f = (v: number | undefined, d = 0) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(d));
const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`;

function timingOf(s: SuiteResult, c: string, m: MethodKey) {
  return s.items.find((i) => i.case === c && i.method === m)?.timing;
}

export function markdown(r: BenchResult): string {
  const suites = [...r.node, ...r.browser];
  const methods = [...new Set(suites.flatMap((s) => s.items.map((i) => i.method)))];
  const out: string[] = [];
  out.push(`# Benchmark ${r.date} on ${r.machine.name}${r.quick ? ' (quick)' : ''}`, '');
  out.push(
    `${r.machine.cpus} x ${r.machine.cpuModel}; load average ${r.machine.loadStart.map((v) => v.toFixed(1)).join(' / ')} at the start, ${r.machine.loadEnd.map((v) => v.toFixed(1)).join(' / ')} at the end (1/5/15 min); Node ${r.machine.node}; ${r.seconds.toFixed(0)} s in all.`,
    '',
  );

  out.push(
    '## Step time (ms: median, min-max) and ratios to SGD (ideal in brackets; each against SGD steps interleaved with its own)',
    '',
  );
  out.push(
    `| backend | case | ${methods.join(' | ')} | SGD GFLOP/s | ${methods
      .filter((m) => m !== 'sgd')
      .map((m) => `${m}/sgd (${idealRatio(m)})`)
      .join(' | ')} |`,
  );
  out.push(
    `|---|---|${methods.map(() => '---:').join('|')}|---:|${methods
      .filter((m) => m !== 'sgd')
      .map(() => '---:')
      .join('|')}|`,
  );
  for (const s of suites) {
    for (const c of [...new Set(s.items.map((i) => i.case))]) {
      const sgd = timingOf(s, c, 'sgd');
      if (!methods.some((m) => timingOf(s, c, m))) continue;
      const cells = methods.map((m) => {
        const t = timingOf(s, c, m);
        return t ? `${f(t.medianMs)} (${f(t.minMs)}-${f(t.maxMs)})` : 'skip';
      });
      const ratios = methods
        .filter((m) => m !== 'sgd')
        .map((m) => {
          const t = timingOf(s, c, m);
          if (!t || (!sgd && t.pairedRatio === undefined)) return '–';
          // Paired with interleaved SGD steps where measured: the two medians were taken minutes apart.
          const ratio = t.pairedRatio ?? t.medianMs / sgd!.medianMs;
          // The targets: SAM/SGD < 2.1, AT-PGD-k/SGD < 1.1 (k + 1).
          const limit = m === 'sam' ? 2.1 : 1.1 * (pgdSteps(m) + 1);
          return `${f(ratio, 2)}${ratio > limit ? ' **over**' : ''}`;
        });
      out.push(`| ${s.backend} | ${c} | ${cells.join(' | ')} | ${f(sgd?.gflops, 2)} | ${ratios.join(' | ')} |`);
    }
  }
  const skipped = suites.flatMap((s) =>
    s.items.filter((i) => i.skipped).map((i) => `${s.backend} ${i.case} ${i.method}: ${i.skipped}`),
  );
  out.push(...skippedDetails(skipped));

  if (r.pytorch.skipped) out.push('', `PyTorch comparison skipped: ${r.pytorch.skipped}`);
  else if (r.pytorch.results.length) {
    out.push('', '## Against PyTorch (CPU): lab ms / PyTorch ms', '');
    const cpuSuites = suites.filter((s) => /wasm|cpu/.test(s.backend));
    out.push(
      `| case | PyTorch (threads) | ${cpuSuites.map((s) => s.backend).join(' | ')} |`,
      `|---|---|${cpuSuites.map(() => '---').join('|')}|`,
    );
    for (const t of r.pytorch.results) {
      for (const [m, ms] of Object.entries(t.ms)) {
        const cells = cpuSuites.map((s) => {
          const lab = timingOf(s, t.case, m as MethodKey);
          return lab ? `${f(lab.medianMs / ms, 1)}x` : '–';
        });
        out.push(`| ${t.case} ${m} | ${f(ms, 1)} ms (${t.threads}) | ${cells.join(' | ')} |`);
      }
    }
  }

  out.push(...attainableMarkdown(r));
  if (r.peers.length) peerTables(r.peers, out);

  out.push('', '## Kernel profile of one step (tf.profile; top kernels, ms summed over calls)', '');
  out.push('| backend | case | step | wall ms | kernel ms | top kernels |', '|---|---|---|---:|---:|---|');
  for (const s of suites) {
    if (!s.profile) continue;
    for (const [label, p] of [
      ['sgd', s.profile.sgd],
      ['sam', s.profile.sam],
      ['at-pgd1', s.profile.atPgd1],
    ] as const) {
      if (!p) continue;
      const top = p.kernels
        .slice(0, 6)
        .map((k) => `${k.name} ${f(k.ms)} (${k.calls})`)
        .join(', ');
      out.push(
        `| ${s.backend} | ${s.profile.case} | ${label} | ${f(p.wallMs)} | ${f(p.kernelMs)} | ${top}${p.note ? ` — ${p.note}` : ''} |`,
      );
    }
  }

  out.push('', '## Tensor memory over many steps (tiny CNN): first -> last', '');
  out.push('| backend | method | steps | tensors | bytes | GPU bytes |', '|---|---|---:|---|---|---|');
  for (const s of suites) {
    for (const [m, v] of Object.entries(s.memory)) {
      const a = v[0];
      const b = v.at(-1)!;
      const flat = a.numTensors === b.numTensors && a.numBytes === b.numBytes ? '' : ' **grows**';
      out.push(
        `| ${s.backend} | ${m} | ${b.step} | ${a.numTensors} -> ${b.numTensors}${flat} | ${a.numBytes} -> ${b.numBytes} | ${a.gpuBytes === undefined ? '–' : `${a.gpuBytes} -> ${b.gpuBytes}`} |`,
      );
    }
  }

  out.push('', '## PGD-10 evaluation (clean + PGD-10 L-inf pass)', '');
  out.push('| backend | case | ms per 1,000 images |', '|---|---|---:|');
  for (const s of suites) out.push(`| ${s.backend} | ${s.profile?.case ?? ''} | ${f(s.pgdEvalMsPer1000)} |`);

  out.push(
    '',
    '## Conv gradient formulations (src/core/model/conv.ts): step times and error against the float64 definition',
    '',
  );
  out.push('| backend | formulation | SGD step ms | AT-PGD-1 step ms | max rel. error |', '|---|---|---:|---:|---:|');
  for (const s of suites) {
    for (const g of s.convGradients) {
      const used = g.mode === s.convGradient ? ' **(used)**' : '';
      const err = g.maxRelError === undefined ? '–' : g.maxRelError.toExponential(1);
      out.push(
        `| ${s.backend} | ${g.mode}${used} | ${g.error ? g.error : f(g.sgdMs)} | ${g.error ? '' : f(g.atPgd1Ms)} | ${g.error ? '' : err} |`,
      );
    }
  }

  if (r.page) {
    const p = r.page;
    out.push('', '## The page', '');
    out.push(
      `- Initial JavaScript + CSS: ${kib(p.initialGzipBytes)} gzip (${p.initial.map((a) => `${a.file} ${kib(a.gzipBytes)}`).join(', ')}).`,
    );
    out.push(
      `- Loaded later: ${kib(p.laterGzipBytes)} gzip (${p.later
        .slice(0, 6)
        .map((a) => `${a.file} ${kib(a.gzipBytes)}`)
        .join(', ')}${p.later.length > 6 ? ', ...' : ''}).`,
    );
    out.push(
      `- Default preset, backend ${p.backend ?? '?'}: Train -> first evaluation ${p.firstEvalMs === undefined ? `> ${p.firstPointCapMs} ms` : `${p.firstEvalMs} ms`}, -> first loss point ${p.firstPointMs === undefined ? `> ${p.firstPointCapMs} ms` : `${p.firstPointMs} ms`} (a run evaluates at step 0 before its first step).`,
    );
    out.push(
      `- Longest main-thread task while three runs train (${p.watchMs / 1000} s): ${f(p.longestTaskMs)} ms. Main-thread JS heap ${p.jsHeapBytes ? `${(p.jsHeapBytes / 2 ** 20).toFixed(0)} MiB` : '–'}.`,
    );
    out.push(...memoryLines(p.memory));
    if (p.preset?.length) {
      out.push(
        '',
        'The default preset from a fresh profile (click -> each run\'s first point, -> every run done; "auto" includes measuring the backends):',
        '',
      );
      out.push('| backend | workers | chosen | first points | all done | steps done |', '|---|---|---|---|---|---:|');
      for (const t of p.preset) {
        const firsts =
          Object.entries(t.firstPointMs)
            .map(([id, ms]) => `${id} ${(ms / 1000).toFixed(1)} s`)
            .join(', ') || '–';
        const chosen =
          t.chosenMs !== undefined
            ? `${t.backendUsed ?? '?'} after ${(t.chosenMs / 1000).toFixed(1)} s`
            : (t.backendUsed ?? '–');
        out.push(
          `| ${t.backend} | ${t.workers ?? 'default (1)'} | ${chosen} | ${firsts} | ${t.doneMs !== undefined ? `${(t.doneMs / 1000).toFixed(1)} s` : `> ${t.capMs / 1000} s`} | ${(t.progress * 100).toFixed(0)} % |`,
        );
      }
      const reasons = [...new Set(p.preset.flatMap((t) => (t.reason ? [t.reason] : [])))];
      if (reasons.length) out.push('', `"auto" chose: ${reasons.join(' / ')}.`);
    }
    if (p.concurrency)
      out.push(
        `- Three runs in one worker (the default): ${f(p.concurrency.oneWorkerMs)} ms; in a worker each (?workers=3): ${f(p.concurrency.workerEachMs)} ms; one after another: ${f(p.concurrency.sequentialMs)} ms. Throughput against one after another: x${f(p.concurrency.oneWorkerRatio, 2)} in one worker, x${f(p.concurrency.workerEachRatio, 2)} in a worker each.`,
      );
    if (p.errors.length) out.push(`- Page errors: ${p.errors.join('; ')}`);
  }
  if (r.failed.length) out.push('', `Failed: ${r.failed.join('; ')}`);
  return out.join('\n') + '\n';
}

/** The race against the peers: lab and peer step times taken in turn, lab/peer (above 1 the lab is slower). */
function peerTables(results: PeerSuiteResult[], out: string[]): void {
  out.push(
    '',
    '## Against the peers (same model, batch and backend; lab and peer steps in turn): lab/peer > 1 means the lab is slower',
    '',
  );
  for (const s of results)
    for (const p of s.params) {
      const differ = Object.entries(p.peers).filter(([, n]) => n !== p.lab);
      out.push(
        `- ${s.backend}, width ${p.width}: parameters lab ${p.lab}${Object.entries(p.peers)
          .map(([name, n]) => `, ${name} ${n}`)
          .join('')}${differ.length ? ` — **differ** (${differ.map(([name]) => name).join(', ')})` : ' (same)'}`,
      );
    }
  out.push(
    '',
    '| backend | case | method | peer | lab ms | peer ms | pairs | lab/peer | tensors left (lab, peer) |',
    '|---|---|---|---|---:|---:|---:|---:|---|',
  );
  const ms = (t: { medianMs: number; minMs: number; maxMs: number }) =>
    `${f(t.medianMs)} (${f(t.minMs)}-${f(t.maxMs)})`;
  for (const s of results)
    for (const i of s.items) {
      if (!i.lab || !i.other || i.ratio === undefined || !i.tensorGrowth) continue;
      const g = i.tensorGrowth;
      out.push(
        `| ${s.backend} | ${i.case} | ${i.method} | ${i.peer} | ${ms(i.lab)} | ${ms(i.other)} | ${i.lab.steps} | ${f(i.ratio, 2)}${i.ratio > 1 ? ' **lab slower**' : ''} | ${g.lab}, ${g.peer}${g.lab || g.peer ? ' **grows**' : ''} |`,
      );
    }
  const skipped = results.flatMap((s) =>
    s.items.filter((i) => i.skipped).map((i) => `${s.backend} ${i.case} ${i.method} ${i.peer}: ${i.skipped}`),
  );
  out.push(...skippedDetails(skipped));
}

/** Peak memory of a fresh Chromium per case, against the issue's goals for the page (17: 400 / 600 MB). */
function memoryLines(m: PageResult['memory'] | undefined): string[] {
  const cases = [
    ['Default preset', m?.defaultPreset, 400],
    ['CIFAR-10 5k, three runs', m?.cifar, 600],
    ['Default preset in a worker each (?workers=3, for comparison)', m?.defaultPresetWorkerEach, 400],
  ] as const;
  const mb = (b: number) => `${(b / 1e6).toFixed(0)} MB`;
  return cases.map(([what, t, goal]) =>
    t
      ? `- ${what}, peak memory (PSS): the page (renderer and its workers) ${mb(t.rendererPssBytes)} (goal < ${goal} MB: ${t.rendererPssBytes < goal * 1e6 ? 'holds' : '**over**'}); all of Chromium ${mb(t.pssBytes)}; summed RSS ${mb(t.rssBytes)}.`
      : `- ${what}, peak memory: not measured.`,
  );
}

/** The skipped items as a folded list, or nothing. */
function skippedDetails(skipped: string[]): string[] {
  if (!skipped.length) return [];
  return [
    '',
    `<details><summary>${skipped.length} skipped</summary>`,
    '',
    ...skipped.map((l) => `- ${l}`),
    '',
    '</details>',
  ];
}
