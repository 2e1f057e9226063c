// The guided lesson: seven short steps; the current one shows its text and the controls (previous,
// train it live, next, print). Its recorded run is on the stage beside it (LessonStage.tsx).
// The step shown follows the store (n / p move it too).
import { LESSON_DATASETS, lessonSteps, offeredLessonDatasets, type LessonDataset } from '../../core/lesson';
import { useLab, useLabContext } from '../labContext';

export function LessonPanel() {
  const { store, controller } = useLabContext();
  const dataset = useLab((s) => s.lessonDataset);
  const index = useLab((s) => s.lessonIndex);
  const steps = lessonSteps(dataset);
  const offered = offeredLessonDatasets();
  const step = steps[index];
  const trainLive = () => {
    store.getState().goToStep(index);
    controller.train();
  };
  return (
    <section className="panel lesson" aria-labelledby="lesson-title">
      <h2 id="lesson-title">Guided lesson</h2>
      <p className="lesson-data">
        On {LESSON_DATASETS[dataset].label}. {LESSON_DATASETS[dataset].checked}{' '}
        {offered.length > 1 && (
          <select
            aria-label="the lesson's data"
            value={dataset}
            onChange={(e) => store.getState().setLessonDataset(e.target.value as LessonDataset)}
          >
            {offered.map((d) => (
              <option key={d} value={d}>
                {LESSON_DATASETS[d].label}
              </option>
            ))}
          </select>
        )}
      </p>
      <ol className="lesson-steps">
        {steps.map((s, i) => (
          <li
            key={s.id}
            className={i === index ? 'current' : undefined}
            aria-current={i === index ? 'step' : undefined}
            data-step={s.id}
          >
            {i === index ? (
              <>
                <h3>
                  {i + 1}. {s.title}
                </h3>
                <p>{s.text}</p>
              </>
            ) : (
              <button type="button" className="step-link" onClick={() => store.getState().goToStep(i)}>
                {i + 1}. {s.title}
              </button>
            )}
          </li>
        ))}
      </ol>
      <div className="lesson-nav" role="group" aria-label="lesson steps">
        <button type="button" disabled={index === 0} onClick={() => store.getState().goToStep(index - 1)}>
          ← Previous
        </button>
        <button
          type="button"
          className="primary"
          onClick={trainLive}
          aria-label={`Train it live: step ${index + 1}, ${step.title}`}
        >
          Train it live
        </button>
        <button
          type="button"
          disabled={index === steps.length - 1}
          onClick={() => store.getState().goToStep(index + 1)}
        >
          Next →
        </button>
        <button type="button" onClick={() => window.print()}>
          Print handout
        </button>
      </div>
    </section>
  );
}
