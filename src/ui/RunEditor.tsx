// The runs of the experiment: add, edit, remove. SAM has its radius rho; AT its norm, budget eps
// (in k/255), PGD step size and steps.
import { METHODS, NORMS, type ExperimentSpec, type Method, type RunSpec } from '../core/spec';
import { runLabel } from '../state/runLabel';
import { selectSpec } from '../state/selectors';
import { NumberField, pixelUnits, SelectField, useIssue } from './fields';
import { useLab, useLabContext } from './labContext';
import { runColor } from './palette';

const METHOD_NAMES: Record<Method, string> = { sgd: 'SGD', sam: 'SAM', at: 'Adversarial training' };

export function RunEditor({ disabled }: { disabled: boolean }) {
  const spec = useLab(selectSpec);
  const { store } = useLabContext();
  const runsIssue = useIssue('runs');
  const state = store.getState;
  return (
    <fieldset className="panel runs-editor" disabled={disabled}>
      <legend>Runs</legend>
      {spec.runs.map((run, i) => (
        <RunRow
          key={`${i}:${run.id}`}
          run={run}
          index={i}
          update={(edit) => state().updateSpec((d) => edit(d.runs[i] as never, d))}
        />
      ))}
      <div className="add-runs">
        {METHODS.map((m) => (
          <button type="button" key={m} onClick={() => state().addRun(m)}>
            + {METHOD_NAMES[m]}
          </button>
        ))}
      </div>
      {runsIssue && <div className="issue">{runsIssue.message}</div>}
    </fieldset>
  );
}

type RunEdit = (edit: (run: RunSpec, spec: ExperimentSpec) => void) => void;

function RunRow({ run, index, update }: { run: RunSpec; index: number; update: RunEdit }) {
  const { store } = useLabContext();
  const p = `runs[${index}]`;
  return (
    <div className="run-row" data-run={run.id} data-testid="run-row">
      <strong className="run-name">
        <span className="swatch" style={{ background: runColor(index) }} aria-hidden />
        {runLabel(run)}
      </strong>
      <SelectField
        label="Method"
        path={`${p}.method`}
        value={run.method}
        options={METHODS}
        optionLabel={(m) => METHOD_NAMES[m]}
        onChange={(m) => store.getState().setRunMethod(run.id, m)}
      />
      {run.method === 'sam' && (
        <NumberField
          label="rho"
          path={`${p}.rho`}
          value={run.rho}
          onChange={(v) => update((r) => void ((r as typeof run).rho = v))}
        />
      )}
      {run.method === 'at' && (
        <>
          <SelectField
            label="Norm"
            path={`${p}.norm`}
            value={run.norm}
            options={NORMS}
            onChange={(v) => update((r) => void ((r as typeof run).norm = v))}
          />
          <NumberField
            label="eps"
            path={`${p}.eps`}
            value={run.eps}
            {...pixelUnits(run.norm)}
            onChange={(v) => update((r) => void ((r as typeof run).eps = v))}
          />
          <NumberField
            label="Step size"
            path={`${p}.stepSize`}
            value={run.stepSize}
            {...pixelUnits(run.norm)}
            onChange={(v) => update((r) => void ((r as typeof run).stepSize = v))}
          />
          <NumberField
            label="Steps"
            path={`${p}.steps`}
            value={run.steps}
            onChange={(v) => update((r) => void ((r as typeof run).steps = v))}
          />
        </>
      )}
      <button
        type="button"
        className="small"
        aria-label={`remove ${runLabel(run)}`}
        onClick={() => store.getState().removeRun(run.id)}
      >
        Remove
      </button>
    </div>
  );
}
