// The handout's two sentences per step: the step's first sentence, and what its recording ended at
// (final clean and robust accuracy per run, at the largest budget), saying where the numbers came from.
import type { LessonStep } from '../../core/lesson';
import type { Recording } from '../../core/recording';
import { attackKey } from '../../core/spec';
import { attackLabel } from '../../core/budgetLabel';
import { runLabel } from '../../state/runLabel';

const pct = (v: number) => `${Math.round(v * 100)}%`;

export function handoutSentences(step: LessonStep, rec: Recording | undefined): [string, string] {
  const first = step.text.match(/^.*?[.!?](?=\s|$)/)?.[0] ?? step.text;
  if (!rec) return [first, 'Not recorded yet: run npm run record.'];
  const spec = rec.results.spec;
  const attack = spec.eval.attacks.length > 0 ? spec.eval.attacks.reduce((a, b) => (b.eps > a.eps ? b : a)) : undefined;
  const runs = spec.runs.map((r) => {
    const last = rec.results.runs.find((x) => x.id === r.id)?.history.at(-1);
    if (!last) return `${runLabel(r)} did not finish`;
    const robust =
      attack && last.robust[attackKey(attack)] !== undefined
        ? `, ${pct(last.robust[attackKey(attack)])} at ${attackLabel(attack)}`
        : '';
    return `${runLabel(r)} ${pct(last.cleanAcc)} clean${robust}`;
  });
  return [
    first,
    `Recorded on ${rec.recording.recordedOn} (${rec.results.backend}, seed ${spec.seed}), test accuracy after ${spec.train.epochs} epochs: ${runs.join('; ')}.`,
  ];
}
