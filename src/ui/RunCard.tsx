// One run's card: status, backend, progress, speed and time left; an error with a Restart button.
import { memo } from 'react';
import { runLabel } from '../state/runLabel';
import { etaSeconds, isFinal } from '../state/runView';
import { selectRun, selectTrainedSpec } from '../state/selectors';
import { useLab, useLabContext } from './labContext';
import { LandscapeCardControls } from './landscape/LandscapeCardControls';
import { runColor } from './palette';

function formatSeconds(s: number | undefined): string {
  if (s === undefined || !Number.isFinite(s)) return '–';
  if (s < 60) return `${Math.ceil(s)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

export const RunCard = memo(function RunCard({ id, index }: { id: string; index: number }) {
  const run = useLab(selectRun(id));
  const batchSize = useLab((s) => selectTrainedSpec(s)?.train.batchSize ?? 1);
  const choice = useLab((s) => s.backendChoice);
  const { controller } = useLabContext();
  if (!run) return null;
  const fraction = run.totalSteps > 0 ? run.step / run.totalSteps : 0;
  const last = run.history.at(-1);
  return (
    <article
      className={`run-card status-${run.status}`}
      data-run={id}
      data-status={run.status}
      style={{ borderColor: runColor(index) }}
    >
      <header>
        <span className="swatch" style={{ background: runColor(index) }} aria-hidden />
        <strong>{runLabel(run.spec)}</strong>
        <span className="status">{run.status}</span>
        <span className="backend">{run.backend ?? ''}</span>
      </header>
      {choice && (
        <p className="note backend-choice" data-testid="backend-choice">
          {choice.state === 'measuring'
            ? 'auto: timing this model on each backend…'
            : choice.state === 'chosen'
              ? `${choice.reason}${choice.measuredAt ? `; measured ${new Date(choice.measuredAt).toLocaleString()}` : ''}`
              : `auto could not time the backends: ${choice.reason}`}
        </p>
      )}
      <progress max={1} value={fraction} aria-label={`${runLabel(run.spec)} progress`} />
      <dl>
        <dt>epoch</dt>
        <dd>{run.epoch.toFixed(2)}</dd>
        <dt>step</dt>
        <dd className="step">
          {run.step} / {run.totalSteps || '–'}
        </dd>
        <dt>images/s</dt>
        <dd>{run.imagesPerSec > 0 ? Math.round(run.imagesPerSec) : '–'}</dd>
        <dt>ETA</dt>
        <dd>{formatSeconds(etaSeconds(run, batchSize))}</dd>
        <dt>clean</dt>
        <dd>{last ? `${(last.cleanAcc * 100).toFixed(1)} %` : '–'}</dd>
      </dl>
      {run.activity && run.status === 'training' && (
        <p className="note activity" data-testid="run-activity" aria-live="polite">
          {run.activity}…
        </p>
      )}
      {run.status === 'diverged' && (
        <p className="note">The loss became infinite or NaN: this run diverged (try a smaller learning rate).</p>
      )}
      {run.error && (
        <div className="error" role="alert">
          <p>{run.error.message}</p>
        </div>
      )}
      <div className="card-actions">
        {!isFinal(run.status) && (
          <>
            {run.status === 'paused' ? (
              <button
                type="button"
                className="small"
                onClick={() => controller.resume(id)}
                aria-label={`Resume ${runLabel(run.spec)}`}
              >
                Resume
              </button>
            ) : (
              <button
                type="button"
                className="small"
                onClick={() => controller.pause(id)}
                disabled={run.status !== 'training'}
                aria-label={`Pause ${runLabel(run.spec)}`}
              >
                Pause
              </button>
            )}
            <button
              type="button"
              className="small"
              onClick={() => controller.stop(id)}
              aria-label={`Stop ${runLabel(run.spec)}`}
            >
              Stop
            </button>
          </>
        )}
        {isFinal(run.status) && run.status !== 'done' && (
          <button
            type="button"
            className="small restart"
            onClick={() => controller.restart(id)}
            aria-label={`Restart ${runLabel(run.spec)}`}
          >
            Restart
          </button>
        )}
      </div>
      <LandscapeCardControls id={id} status={run.status} />
    </article>
  );
});
