import { describe, expect, it } from 'vitest';
import { dualityPoint } from '../core/duality/dualityPoint';
import { sampleResults } from '../core/landscape/resultFixtures';
import type { DualityResult } from '../core/landscape/results';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { parseResults, resultsToJson } from '../core/train/resultsFile';
import { resultsFromState } from './resultsFile';
import { newRunView } from './runView';
import { landscapeRecord } from './testFixtures';

const spec: ExperimentSpec = { ...structuredClone(DEFAULT_SPEC), runs: [{ id: 'sam', method: 'sam', rho: 0.05 }] };
const duality = sampleResults().duality as DualityResult;
const slices = sampleResults();

describe('the duality numbers in the results file', () => {
  const state = {
    trainedSpec: spec,
    runOrder: ['sam'],
    runs: { sam: { ...newRunView(spec.runs[0]), status: 'done' as const } },
    landscapes: {
      sam: {
        slices: [
          landscapeRecord(0, [duality]),
          landscapeRecord(10, [slices['weight-1d'], slices.sharpness]),
          landscapeRecord(10, [duality]),
        ],
        queued: [],
      },
    },
  };

  it('holds one point per duality view, without the images, and reads back', () => {
    const results = resultsFromState(state)!;
    expect(results.runs[0].duality).toEqual([dualityPoint(duality, 0, 0), dualityPoint(duality, 10, 1)]);
    expect(JSON.stringify(results.runs[0].duality)).not.toContain('"d"');
    const read = parseResults(JSON.parse(resultsToJson(results)));
    expect(read.ok && read.results.runs[0].duality).toEqual(results.runs[0].duality);
    // No duality view: no field.
    expect(resultsFromState({ ...state, landscapes: {} })!.runs[0]).not.toHaveProperty('duality');
  });

  it('refuses a bad point with its path', () => {
    const raw = JSON.parse(resultsToJson(resultsFromState(state)!));
    raw.runs[0].duality[1].images[0].cos = 3;
    const read = parseResults(raw);
    expect(read.ok ? '' : read.reason).toMatch(
      /runs\[0\]\.duality\[1\]\.images\[0\]\.cos: must be a number in \[-1, 1\]/,
    );
  });
});
