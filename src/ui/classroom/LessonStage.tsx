// The classroom's stage: the current step's key chart, showing its recorded run at once (faded,
// with a badge saying where it came from), a replay control, and the live runs of the same spec
// drawn over the recording once "Train it live" starts them. A recording is never called live.
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { lessonSteps, type LessonStep } from '../../core/lesson';
import type { LandscapeResult } from '../../core/landscape/results';
import type { Recording } from '../../core/recording';
import { sameSpec } from '../../state/recordedRun';
import { REPLAY_SPEEDS, replayAt } from '../../state/replay';
import { runLabel } from '../../state/runLabel';
import { selectHistories, selectTrainedSpec } from '../../state/selectors';
import type { LabState } from '../../state/labStore';
import { useLab } from '../labContext';
import { runColor } from '../palette';
import { StepChart } from './StepChart';
import { stepPanels, type StepSource } from './stepChartData';
import { useRecording } from './useRecording';
import { useReplay, type Replay } from './useReplay';

/** Each run's finished landscapes at the end of training, in run order. */
const selectEndLandscapes = (s: LabState): (LandscapeResult[] | undefined)[] =>
  s.runOrder.map((id) => s.landscapes[id]?.slices.filter((x) => x.trigger === 'end').at(-1)?.results);

/** The step of the lesson that the classroom shows. */
export function useCurrentStep(): LessonStep {
  const index = useLab((s) => s.lessonIndex);
  const dataset = useLab((s) => s.lessonDataset);
  return lessonSteps(dataset)[index];
}

/** The recordings are of the default variant: `lesson:<id>` for a shapes step, none for another. */
export const recordingSource = (step: LessonStep) =>
  step.spec.dataset.name === 'shapes' ? `lesson:${step.id}` : undefined;

export function LessonStage() {
  const step = useCurrentStep();
  const rec = useRecording(recordingSource(step), step.spec);
  const recording = rec.status === 'ready' ? rec.recording : undefined;
  const replay = useReplay(recording);
  const trainedSpec = useLab(selectTrainedSpec);
  const histories = useLab(useShallow(selectHistories));
  const landscapes = useLab(useShallow(selectEndLandscapes));
  // Live curves belong to this step only when the trained experiment is this step's spec.
  const isLive = useMemo(() => trainedSpec !== undefined && sameSpec(trainedSpec, step.spec), [trainedSpec, step]);
  const recorded = useMemo<StepSource | undefined>(() => {
    if (!recording) return undefined;
    const frame = replayAt(recording, replay.step);
    const end = replay.step >= replay.steps;
    return {
      histories: frame.histories,
      landscapes: step.spec.runs.map((r) => (end ? recording.landscapes[r.id] : undefined)),
    };
  }, [recording, replay.step, replay.steps, step]);
  const live = useMemo<StepSource | undefined>(
    () => (isLive ? { histories, landscapes } : undefined),
    [isLive, histories, landscapes],
  );
  const panels = useMemo(() => stepPanels(step.spec, recorded, live), [step, recorded, live]);

  return (
    <section className="panel lesson-stage" aria-label={`step chart: ${step.title}`} data-step={step.id}>
      <div className="stage-head">
        <RecordingBadge state={rec} recording={recording} />
        {isLive && (
          <span className="badge live-badge" data-testid="live-badge">
            live: drawn solid over the recording
          </span>
        )}
      </div>
      <div className="legend">
        {step.spec.runs.map((r, i) => (
          <span key={r.id} className="legend-item">
            <span className="swatch" style={{ background: runColor(i) }} aria-hidden />
            {runLabel(r)}
          </span>
        ))}
        {recording && <span className="legend-item legend-note">faded: recorded{isLive ? '; solid: live' : ''}</span>}
      </div>
      <div className={`step-panels panels-${panels.length}`}>
        {panels.map((p) => (
          <StepChart key={p.id} panel={p} />
        ))}
      </div>
      {recording && <ReplayControls replay={replay} recording={recording} />}
    </section>
  );
}

function RecordingBadge({ state, recording }: { state: ReturnType<typeof useRecording>; recording?: Recording }) {
  if (recording) {
    return (
      <span
        className="badge recorded-badge"
        data-testid="recorded-badge"
        data-recorded-on={recording.recording.recordedOn}
      >
        recorded on {recording.recording.recordedOn}, {recording.results.backend}, seed {recording.results.spec.seed}
      </span>
    );
  }
  if (state.status === 'loading') return <span className="badge">loading the recording…</span>;
  if (state.status === 'error') return <span className="badge error-badge">The recording {state.reason}</span>;
  return <span className="badge">not recorded: Train it live</span>;
}

function ReplayControls({ replay, recording }: { replay: Replay; recording: Recording }) {
  const epochs = recording.results.spec.train.epochs;
  const epoch = replay.steps > 0 ? (replay.step / replay.steps) * epochs : 0;
  return (
    <div className="replay" role="group" aria-label="replay the recording">
      <button type="button" className="primary" onClick={replay.playing ? replay.pause : replay.play}>
        {replay.playing ? 'Pause replay' : 'Replay'}
      </button>
      <label>
        speed{' '}
        <select value={replay.speed} onChange={(e) => replay.setSpeed(Number(e.target.value))}>
          {REPLAY_SPEEDS.map((s) => (
            <option key={s} value={s}>
              {s}×
            </option>
          ))}
        </select>
      </label>
      <input
        type="range"
        className="scrub"
        aria-label="replay position (training step)"
        min={0}
        max={replay.steps}
        step={1}
        value={Math.round(replay.step)}
        onChange={(e) => replay.seek(Number(e.target.value))}
      />
      <span className="replay-at" aria-live="off">
        epoch {epoch.toFixed(1)} of {epochs}
      </span>
    </div>
  );
}
