// `npm run lab -- export-pytorch <spec.json | share URL> --out DIR`: writes the experiment as a
// small PyTorch project (src/core/export/pytorchProject.ts; the Python sources are pytorch/ of
// this repository).
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PYTORCH_SOURCES, pytorchProjectFiles, type PytorchSources } from '../../src/core/export/pytorchProject';
import { readArgs, UsageError } from './cli';
import { specFromSource } from './specFromSource';

const PYTORCH_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'pytorch');

export const EXPORT_PYTORCH_USAGE = '  npm run lab -- export-pytorch <spec.json | share URL> --out <dir>';
export const EXPORT_PYTORCH_HELP = `export-pytorch
        writes the experiment as a PyTorch project (spec.json, train.py and its modules, README.md)
        that trains under torchrun with DistributedDataParallel; <dir> must be new or empty.`;

function readPytorchSources(dir = PYTORCH_DIR): PytorchSources {
  return Object.fromEntries(
    PYTORCH_SOURCES.map((name) => [name, readFileSync(path.join(dir, name), 'utf8')]),
  ) as PytorchSources;
}

/** Writes the project of `source` (a spec file or a share link) to `out`; returns the paths written. */
export function exportPytorch(source: string, out: string): string[] {
  const spec = specFromSource(source);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} is not empty: export-pytorch writes into a new or empty folder`);
  mkdirSync(out, { recursive: true });
  return pytorchProjectFiles(spec, readPytorchSources()).map((f) => {
    const file = path.join(out, f.path);
    writeFileSync(file, f.text);
    return file;
  });
}

/** The command's own arguments (after "export-pytorch"). */
export function exportPytorchCommand(argv: string[]): number {
  const { values, positionals } = readArgs(argv, { out: { type: 'string' } }, true);
  if (positionals.length !== 1)
    throw new UsageError(`export-pytorch takes one spec file or share URL, got ${positionals.length}`);
  if (!values.out) throw new UsageError('export-pytorch needs --out <dir>');
  const written = exportPytorch(positionals[0], values.out);
  process.stderr.write(
    `wrote ${written.length} files to ${values.out}: cd ${values.out} && python3 train.py spec.json --data DIR (see README.md)\n`,
  );
  return 0;
}
