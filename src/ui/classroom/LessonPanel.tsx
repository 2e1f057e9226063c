// The guided lesson: seven short steps, each with a button that loads its experiment and trains it.
// The step shown follows the store (n / p move it too); the lab's charts on the right show the runs.
import { useEffect } from 'react';
import { lessonDataset, lessonSteps } from '../../core/lesson';
import { useLab, useLabContext } from '../labContext';

export function LessonPanel() {
  const { store, controller, datasets: datasetController } = useLabContext();
  const datasets = useLab((s) => s.lessonDatasets);
  const index = useLab((s) => s.lessonIndex);
  const steps = lessonSteps(datasets);
  // Asked when the classroom opens: the lesson trains on CIFAR-10 instead of the shapes when it is prepared.
  useEffect(() => void datasetController.checkLessonDatasets(), [datasetController]);
  const start = (i: number) => {
    store.getState().goToStep(i);
    controller.train();
  };
  return (
    <section className="panel lesson" aria-labelledby="lesson-title">
      <h2 id="lesson-title">Guided lesson</h2>
      <p className="lesson-data">
        {lessonDataset(datasets) === 'cifar10' ? 'On a 2,000-image CIFAR-10 subset.' : 'On generated shapes (no download needed).'} Each step trains in a
        minute or two; the charts on the right follow it. Keys: n / p move, Space trains or pauses, ? lists them all.
      </p>
      <ol className="lesson-steps">
        {steps.map((s, i) => (
          <li key={s.id} className={i === index ? 'current' : undefined} aria-current={i === index ? 'step' : undefined} data-step={s.id}>
            <h3>
              {i + 1}. {s.title}
            </h3>
            {i === index && <p>{s.text}</p>}
            <button type="button" className={i === index ? 'primary' : 'small'} onClick={() => start(i)} aria-label={`Train this step: ${i + 1}, ${s.title}`}>
              Train this step
            </button>
          </li>
        ))}
      </ol>
      <div className="lesson-nav" role="group" aria-label="lesson steps">
        <button type="button" disabled={index === 0} onClick={() => store.getState().goToStep(index - 1)}>
          ← Previous step
        </button>
        <button type="button" disabled={index === steps.length - 1} onClick={() => store.getState().goToStep(index + 1)}>
          Next step →
        </button>
      </div>
    </section>
  );
}
