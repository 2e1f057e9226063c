// Train / Pause / Resume / Stop / Reset for the whole experiment. Train is refused, with the
// reasons listed, while the spec has issues.
import type { MouseEvent } from 'react';
import { formatIssues } from '../core/spec';
import { selectActive, selectAnyPaused, selectAnyTraining, selectIssues, selectRunOrder } from '../state/selectors';
import { useLab, useLabContext } from './labContext';

export function Controls() {
  const { controller } = useLabContext();
  const issues = useLab(selectIssues);
  const active = useLab(selectActive);
  const anyTraining = useLab(selectAnyTraining);
  const anyPaused = useLab(selectAnyPaused);
  const hasRuns = useLab((s) => selectRunOrder(s).length > 0);
  const train = (e: MouseEvent<HTMLButtonElement>) => {
    // Train disables itself. Blurred first, the button is not disabled while focused, which would
    // make the browser and React recompute style and layout inside the click's task.
    e.currentTarget.blur();
    controller.train();
  };
  return (
    <div className="controls" data-testid="controls">
      <button
        type="button"
        className="primary"
        disabled={active || issues.length > 0}
        onClick={train}
        title={issues.length ? formatIssues(issues) : undefined}
      >
        Train
      </button>
      <button type="button" disabled={!anyTraining} onClick={() => controller.pause()}>
        Pause
      </button>
      <button type="button" disabled={!anyPaused} onClick={() => controller.resume()}>
        Resume
      </button>
      <button type="button" disabled={!active} onClick={() => controller.stop()}>
        Stop
      </button>
      <button type="button" disabled={!hasRuns} onClick={() => controller.reset()}>
        Reset
      </button>
      {issues.length > 0 && (
        <ul className="issues" aria-label="why Train is refused">
          {issues.map((i) => (
            <li key={i.path + i.message}>
              <code>{i.path || 'spec'}</code> {i.message}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
