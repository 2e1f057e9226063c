// The printed handout ("Print handout", or the browser's print): the lesson's steps on one page,
// each with its recorded chart and two sentences. On screen it is not shown (styles.css, @media print).
import { useEffect, useState } from 'react';
import { lessonSteps } from '../../core/lesson';
import type { Recording } from '../../core/recording';
import { recordsSpec } from '../../state/recordedRun';
import { loadRecording } from '../../state/recordedRuns';
import { replayAt } from '../../state/replay';
import { handoutSentences } from './handoutText';
import { recordingSource } from './LessonStage';
import { StepChart } from './StepChart';
import { stepPanels } from './stepChartData';

/** A chart's size on paper, in CSS px (96 per inch): two columns of an A4 page, four rows for seven steps. */
const CHART = { w: 330, h: 100 };

function useRecordings(): Record<string, Recording> {
  const [recs, setRecs] = useState<Record<string, Recording>>({});
  useEffect(() => {
    let live = true;
    for (const step of lessonSteps()) {
      const source = recordingSource(step);
      if (!source) continue;
      void loadRecording(source).then((r) => {
        if (live && r.status === 'ready' && recordsSpec(r.recording, step.spec))
          setRecs((all) => ({ ...all, [step.id]: r.recording }));
      });
    }
    return () => {
      live = false;
    };
  }, []);
  return recs;
}

export function Handout() {
  const recs = useRecordings();
  const steps = lessonSteps();
  return (
    <section className="handout" aria-hidden="true" data-testid="handout">
      <h2>Duality Lab: SAM, adversarial training and robustness, in {steps.length} steps</h2>
      <ol>
        {steps.map((step, i) => {
          const rec = recs[step.id];
          const frame = rec && replayAt(rec, Infinity);
          const panels = stepPanels(
            step.spec,
            frame && { histories: frame.histories, landscapes: step.spec.runs.map((r) => rec.landscapes[r.id]) },
            undefined,
          );
          const [a, b] = handoutSentences(step, rec);
          return (
            <li key={step.id} data-step={step.id}>
              <h3>
                {i + 1}. {step.title}
              </h3>
              <div className="handout-charts">
                {panels.map((p) => (
                  <StepChart key={p.id} panel={p} size={panels.length > 1 ? { w: CHART.w / 2, h: CHART.h } : CHART} />
                ))}
              </div>
              <p>
                {a} {b}
              </p>
            </li>
          );
        })}
      </ol>
      <p className="handout-foot">
        Duality Lab, after Zhang et al., “On the Duality Between Sharpness-Aware Minimization and Adversarial Training”,
        ICML 2024.
      </p>
    </section>
  );
}
