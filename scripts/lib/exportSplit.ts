// `npm run datasets -- --export DIR --spec spec.json`: writes the spec's train and test sets, as
// the lab trains and evaluates on them, for the exported PyTorch project (src/core/export/splitExport.ts).
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { splitFiles } from '../../src/core/export/splitExport';
import { readArgs, UsageError } from './cli';
import { loadSplit } from './loadSplit';
import { specFromSource } from './specFromSource';

export async function exportSplit(source: string, out: string, datasetsDir?: string): Promise<string[]> {
  const spec = specFromSource(source);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new Error(`${out} is not empty: --export writes into a new or empty folder`);
  const split = await loadSplit(spec, datasetsDir ? { dir: datasetsDir } : {});
  mkdirSync(out, { recursive: true });
  return splitFiles(spec, split).map((f) => {
    writeFileSync(path.join(out, f.path), f.bytes);
    return f.path;
  });
}

/** The arguments of `npm run datasets -- --export DIR --spec <spec.json | share URL>`. */
export async function exportSplitCommand(argv: string[]): Promise<number> {
  const { values } = readArgs(argv, { export: { type: 'string' }, spec: { type: 'string' } });
  if (!values.export || !values.spec) throw new UsageError('--export DIR needs --spec <spec.json | share URL>');
  const written = await exportSplit(values.spec, values.export);
  console.log(`wrote ${written.join(', ')} to ${values.export}`);
  return 0;
}
