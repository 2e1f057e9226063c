// Narrow selectors: each returns a value that keeps its identity until what it shows changes.
import type { LabState } from './labStore';
import { isFinal } from './runView';

export const selectSpec = (s: LabState) => s.spec;
export const selectIssues = (s: LabState) => s.issues;
export const selectPresetId = (s: LabState) => s.presetId;
export const selectTrainedSpec = (s: LabState) => s.trainedSpec;
export const selectRunOrder = (s: LabState) => s.runOrder;
export const selectRun = (id: string) => (s: LabState) => s.runs[id];
/** True for a run shown from saved data: no worker holds its weights (runsSlice.restoredRuns). */
export const selectWeightsGone = (id: string) => (s: LabState) => s.restoredRuns[id] === true;
export const selectNotice = (s: LabState) => s.notice;
export const selectChartAttack = (s: LabState) => s.chartAttack;

/** True while some run has not ended (queued, training or paused). */
export const selectActive = (s: LabState) => s.runOrder.some((id) => !isFinal(s.runs[id].status));
export const selectAnyTraining = (s: LabState) =>
  s.runOrder.some((id) => s.runs[id].status === 'training' || s.runs[id].status === 'queued');
export const selectAnyPaused = (s: LabState) => s.runOrder.some((id) => s.runs[id].status === 'paused');

/** Each run's evaluation history, in run order (use with useShallow: changes only at an evaluation). */
export const selectHistories = (s: LabState) => s.runOrder.map((id) => s.runs[id].history);
/** Each run's smoothed loss points, in run order (use with useShallow). */
export const selectLossPoints = (s: LabState) => s.runOrder.map((id) => s.runs[id].lossSeries.points);
