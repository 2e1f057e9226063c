// The lab's command line: trains the runs of an experiment spec in Node, one after another, and
// writes the results JSON (the Results format of src/core/train/results.ts).
//
//   npm run lab -- run <spec.json> --out <results.json> [--backend wasm|cpu]
//   npm run lab -- run <spec.json | share URL> --browser --out <results.json> [--chromium <path>]
//   npm run lab -- export-pytorch <spec.json | share URL> --out <dir>
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { BackendName } from '../src/core/backend';
import type { ExperimentSpec } from '../src/core/spec';
import type { Results } from '../src/core/train/results';
import { oneOf, readArgs, runCommand, UsageError } from './lib/cli';
import { EXPORT_PYTORCH_HELP, EXPORT_PYTORCH_USAGE, exportPytorchCommand } from './lib/exportPytorch';
import { NODE_BACKENDS, useBackend } from './lib/nodeBackend';
import { trainAll } from './lib/trainAll';
import { readSpecFile } from './lib/readSpecFile';
import { RECORD_USAGE, recordCommand } from './lib/recordCommand';

const USAGE = `Duality Lab command line

Usage:
  npm run lab -- run <spec.json> --out <results.json> [--backend wasm|cpu]
  npm run lab -- run <spec.json | share URL> --browser --out <results.json> [--chromium <path>]
${EXPORT_PYTORCH_USAGE}
${RECORD_USAGE}
  npm run lab -- --help

run     trains every run of the experiment spec one after another (same seed: same init,
        batches and evaluation subset for all runs) and writes the results JSON.
--out   where to write the results (written to a temporary file, then renamed).
--backend
        tfjs backend; default: the spec's train.backend when it is wasm or cpu, else the fastest
        that trains here (${NODE_BACKENDS.join(', then ')}).
--browser
        trains in the real page in headless Chromium instead (WebGPU where the machine has it),
        from a spec file or a share link (the page's "Copy link"); builds dist/ first if missing.
--chromium
        Chromium's executable for --browser (default: $CHROMIUM_PATH, else /usr/bin/chromium).
${EXPORT_PYTORCH_HELP}

The spec is checked field by field; a bad spec is reported and nothing is written.
Exit status: 0 when every run trained (done or diverged), 1 on a bad spec or a run that failed
with an error (its results are still written, with status "error"), 2 on bad usage.`;

interface RunCommand {
  specPath: string;
  out: string;
  backend?: BackendName;
  browser: boolean;
  chromium?: string;
}

function parseCommand(argv: string[]): RunCommand | 'help' {
  const { values, positionals } = readArgs(
    argv,
    {
      out: { type: 'string' },
      backend: { type: 'string' },
      browser: { type: 'boolean', default: false },
      chromium: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    true,
  );
  if (values.help || positionals.length === 0) return 'help';
  const [command, specPath, ...extra] = positionals;
  if (command !== 'run') throw new UsageError(`unknown command "${command}"`);
  if (extra.length > 0) throw new UsageError(`unexpected argument "${extra[0]}"`);
  const { out, browser, chromium } = values;
  const backend = values.backend === undefined ? undefined : oneOf('--backend', values.backend, NODE_BACKENDS);
  if (!specPath)
    throw new UsageError(browser ? 'run --browser needs a spec file or a share URL' : 'run needs a spec file');
  if (!out) throw new UsageError('run needs --out <results.json>');
  if (browser && backend)
    throw new UsageError("--backend is for Node runs; in the browser the spec's train.backend chooses");
  if (chromium && !browser) throw new UsageError('--chromium goes with --browser');
  return { specPath, out, backend, browser, chromium };
}

/** The requested backend, the spec's if Node has it, else the first of NODE_BACKENDS that starts. */
async function startBackend(requested: BackendName | undefined, spec: ExperimentSpec): Promise<BackendName> {
  const fromSpec = (NODE_BACKENDS as string[]).includes(spec.train.backend)
    ? (spec.train.backend as BackendName)
    : undefined;
  const wanted = requested ?? fromSpec;
  if (wanted) {
    await useBackend(wanted);
    return wanted;
  }
  if (spec.train.backend !== 'auto')
    process.stderr.write(`train.backend ${spec.train.backend} is not available in Node; choosing one\n`);
  const failures: string[] = [];
  for (const name of NODE_BACKENDS) {
    try {
      await useBackend(name);
      return name;
    } catch (e) {
      failures.push((e as Error).message);
    }
  }
  throw new Error(`no tfjs backend could start:\n${failures.join('\n')}`);
}

/** Writes next to the target, then renames: a reader never sees a half-written file. */
function writeAtomically(file: string, text: string): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'export-pytorch') return exportPytorchCommand(argv.slice(1));
  if (argv[0] === 'record') return recordCommand(argv.slice(1));
  const command = parseCommand(argv);
  if (command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let results: Results;
  if (command.browser) {
    const { runInBrowser } = await import('./lib/browserRun');
    results = await runInBrowser(command.specPath, { chromium: command.chromium });
  } else {
    const spec = readSpecFile(command.specPath);
    results = await trainAll(spec, await startBackend(command.backend, spec));
  }
  // JSON has no NaN: the step-0 training loss / accuracy are written as null.
  writeAtomically(command.out, `${JSON.stringify(results, null, 1)}\n`);
  const failed = results.runs.filter((r) => r.status === 'error');
  process.stderr.write(`wrote ${command.out} (${results.runs.length} runs on ${results.backend})\n`);
  return failed.length > 0 ? 1 : 0;
}

runCommand('lab', 'Try: npm run lab -- --help', () => main(process.argv.slice(2)));
