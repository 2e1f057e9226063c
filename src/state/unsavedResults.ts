// Finished results (an imported file, a results link) shown where the history store is missing or
// did not open: on screen for this session, saved nowhere. With a store, persistence.ts shows and
// saves them instead.
import type { Results } from '../core/train/results';
import type { LabStore } from './labStore';
import { runViewsFromResults } from './resultsFile';

export function showUnsavedResults(store: LabStore, results: Results): void {
  const views = runViewsFromResults(results);
  store.getState().setSpec(results.spec);
  store.setState({
    trainedSpec: structuredClone(results.spec),
    runs: Object.fromEntries(views.map((v) => [v.id, v])),
    runOrder: views.map((v) => v.id),
    // No worker holds these runs' weights (as for saved runs).
    restoredRuns: Object.fromEntries(views.map((v) => [v.id, true as const])),
    experimentId: undefined,
  });
}
