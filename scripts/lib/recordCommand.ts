// `npm run lab -- record [<source>...] [--out-dir DIR]`: records lesson steps and presets for the
// classroom (scripts/lib/record.ts). With no source it records every one whose data is generated;
// `npm run record` is that, into public/recorded/.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { recordingFile } from '../../src/core/recording';
import { readArgs, UsageError } from './cli';
import { useBackend } from './nodeBackend';
import { defaultSources, record, recordingSpecs, recordingToJson, type RunCache } from './record';

export const RECORD_USAGE = `  npm run lab -- record [<source>...] [--out-dir <dir>]

record  trains lesson steps (lesson:<step id>) and presets (preset:<preset id>) on wasm from their
        own seed and writes one recording each (results, step losses, landscapes at the end) to
        --out-dir (default public/recorded). Without a source: every one on generated data.`;

export async function recordCommand(argv: string[]): Promise<number> {
  const specs = recordingSpecs();
  const { values, positionals: sources } = readArgs(
    argv,
    { 'out-dir': { type: 'string', default: 'public/recorded' } },
    true,
  );
  const outDir = values['out-dir'];
  const unknown = sources.find((s) => !specs.has(s));
  if (unknown !== undefined)
    throw new UsageError(`unknown source "${unknown}" (one of ${[...specs.keys()].join(', ')})`);
  await useBackend('wasm');
  mkdirSync(outDir, { recursive: true });
  const recordedOn = new Date().toISOString().slice(0, 10);
  // A run that another source of this invocation already trained (same experiment and settings) is trained once.
  const cache: RunCache = new Map();
  for (const source of sources.length > 0 ? sources : defaultSources()) {
    process.stderr.write(`recording ${source}\n`);
    const rec = await record(source, specs.get(source)!, recordedOn, cache);
    const file = path.join(outDir, recordingFile(source));
    writeFileSync(`${file}.tmp`, recordingToJson(rec));
    renameSync(`${file}.tmp`, file);
    process.stderr.write(`wrote ${file}\n`);
    if (rec.results.runs.some((r) => r.status === 'error')) return 1;
  }
  return 0;
}
