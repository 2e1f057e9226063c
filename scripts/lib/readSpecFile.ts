// Reads an experiment spec from a JSON file for the command line: one clear error for a missing
// file, bad JSON, or a spec with bad fields (each named by its dotted path).
import { readFileSync } from 'node:fs';
import { formatIssues, validateSpec, type ExperimentSpec } from '../../src/core/spec';

export function readSpecFile(file: string): ExperimentSpec {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new Error(`cannot read spec ${file}: ${(e as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new Error(`spec ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const checked = validateSpec(raw);
  if (!checked.ok) throw new Error(`spec ${file} is not valid:\n${formatIssues(checked.issues)}`);
  return checked.spec;
}
