// The experiment form: data, model, training and evaluation settings. Every edit is validated at
// once (validateSpec), and each invalid value shows its reason beside the field.
import {
  BACKENDS,
  DATASETS,
  MODELS,
  NORMS,
  PGD_SCHEDULES,
  SCHEDULES,
  type AttackSpec,
  type ExperimentSpec,
  type PgdSchedule,
} from '../core/spec';
import { selectSpec } from '../state/selectors';
import { NumberField, pixelUnits, SelectField, useIssue } from './fields';
import { useLab, useLabContext } from './labContext';

export function ExperimentPanel({ disabled }: { disabled: boolean }) {
  const spec = useLab(selectSpec);
  const { store } = useLabContext();
  const update = (edit: (d: ExperimentSpec) => void) => store.getState().updateSpec(edit);
  return (
    <fieldset className="panel experiment" disabled={disabled}>
      <legend>Experiment</legend>
      <div className="grid">
        <SelectField
          label="Dataset"
          path="dataset.name"
          value={spec.dataset.name}
          options={DATASETS}
          onChange={(v) => update((d) => void (d.dataset.name = v))}
        />
        <NumberField
          label="Training examples"
          path="dataset.trainSize"
          value={spec.dataset.trainSize}
          onChange={(v) => update((d) => void (d.dataset.trainSize = v))}
        />
        <NumberField
          label="Test examples"
          path="dataset.testSize"
          value={spec.dataset.testSize}
          onChange={(v) => update((d) => void (d.dataset.testSize = v))}
        />
        <SelectField
          label="Model"
          path="model.name"
          value={spec.model.name}
          options={MODELS}
          onChange={(v) => update((d) => void (d.model.name = v))}
        />
        <NumberField
          label="Width"
          path="model.width"
          value={spec.model.width}
          onChange={(v) => update((d) => void (d.model.width = v))}
        />
        <NumberField
          label="Depth"
          path="model.depth"
          value={spec.model.depth}
          onChange={(v) => update((d) => void (d.model.depth = v))}
        />
        <NumberField
          label="Epochs"
          path="train.epochs"
          value={spec.train.epochs}
          onChange={(v) => update((d) => void (d.train.epochs = v))}
        />
        <NumberField
          label="Batch size"
          path="train.batchSize"
          value={spec.train.batchSize}
          onChange={(v) => update((d) => void (d.train.batchSize = v))}
        />
        <NumberField
          label="Learning rate"
          path="train.lr"
          value={spec.train.lr}
          onChange={(v) => update((d) => void (d.train.lr = v))}
        />
        <SelectField
          label="Schedule"
          path="train.schedule"
          value={spec.train.schedule}
          options={SCHEDULES}
          onChange={(v) => update((d) => void (d.train.schedule = v))}
        />
        <NumberField label="Seed" path="seed" value={spec.seed} onChange={(v) => update((d) => void (d.seed = v))} />
        <SelectField
          label="Backend"
          path="train.backend"
          value={spec.train.backend}
          options={BACKENDS}
          onChange={(v) => update((d) => void (d.train.backend = v))}
        />
      </div>
      <EvalSettings spec={spec} update={update} />
    </fieldset>
  );
}

// Short: the select is a third of the form's width (README, "The evaluation", says what each is).
const PGD_SCHEDULE_LABELS: Record<PgdSchedule, string> = {
  cosine: 'cosine 2ε',
  'cosine-eps': 'cosine ε',
  madry: 'fixed',
};

function EvalSettings({ spec, update }: { spec: ExperimentSpec; update(edit: (d: ExperimentSpec) => void): void }) {
  const listIssue = useIssue('eval.attacks');
  const setAttack = (i: number, patch: Partial<AttackSpec>) =>
    update((d) => void (d.eval.attacks[i] = { ...d.eval.attacks[i], ...patch }));
  return (
    <div className="eval">
      <h3>Evaluation</h3>
      <div className="grid">
        <NumberField
          label="Test subset"
          path="eval.subsetSize"
          value={spec.eval.subsetSize}
          onChange={(v) => update((d) => void (d.eval.subsetSize = v))}
        />
        <NumberField
          label="PGD steps"
          path="eval.pgdSteps"
          value={spec.eval.pgdSteps}
          onChange={(v) => update((d) => void (d.eval.pgdSteps = v))}
        />
        <SelectField
          label="PGD step"
          path="eval.pgdSchedule"
          value={spec.eval.pgdSchedule}
          options={PGD_SCHEDULES}
          optionLabel={(o) => PGD_SCHEDULE_LABELS[o]}
          onChange={(v) => update((d) => void (d.eval.pgdSchedule = v))}
        />
        <NumberField
          label="Every (epochs)"
          path="eval.every"
          value={spec.eval.every}
          onChange={(v) => update((d) => void (d.eval.every = v))}
        />
      </div>
      <div className="attacks">
        {spec.eval.attacks.map((a, i) => (
          <div className="attack" key={i}>
            <SelectField
              label={`Attack ${i + 1}`}
              path={`eval.attacks[${i}].norm`}
              value={a.norm}
              options={NORMS}
              onChange={(v) => setAttack(i, { norm: v })}
            />
            <NumberField
              label="eps"
              path={`eval.attacks[${i}].eps`}
              value={a.eps}
              {...pixelUnits(a.norm)}
              onChange={(v) => setAttack(i, { eps: v })}
            />
            <button
              type="button"
              className="small"
              aria-label={`remove attack ${i + 1}`}
              onClick={() => update((d) => void d.eval.attacks.splice(i, 1))}
            >
              ✕
            </button>
          </div>
        ))}
        <button
          type="button"
          className="small"
          onClick={() => update((d) => void d.eval.attacks.push({ norm: 'linf', eps: 8 / 255 }))}
        >
          + attack
        </button>
        {listIssue && <div className="issue">{listIssue.message}</div>}
      </div>
    </div>
  );
}
