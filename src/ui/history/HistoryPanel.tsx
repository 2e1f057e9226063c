// Past experiments, saved in this browser: open one (its runs and charts come back, unfinished
// runs as 'interrupted'), rename, delete; import a results file as a finished experiment. A bad
// file is refused with the reason.
import { memo, useCallback, useState, type ChangeEvent } from 'react';
import type { ExperimentSummary } from '../../state/archiveSlice';
import { parseResultsText } from '../../core/train/resultsFile';
import { selectActive } from '../../state/selectors';
import { showUnsavedResults } from '../../state/unsavedResults';
import { useLab, useLabContext, useLabDeferred } from '../labContext';
import { useArchive, useArchiveReady } from './archiveContext';

export function HistoryPanel() {
  const archive = useArchive();
  const archiveReady = useArchiveReady();
  const { store, controller } = useLabContext();
  const list = useLab((s) => s.archive);
  const shownId = useLabDeferred((s) => s.experimentId);
  const error = useLab((s) => s.archiveError);
  const active = useLabDeferred(selectActive);
  const [message, setMessage] = useState<string>();

  async function importFile(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    let text: string;
    try {
      text = await file.text();
    } catch (err) {
      // The file changed or went away on disk after it was chosen (the browser reads it only now).
      setMessage(`${file.name} could not be read: ${err instanceof Error ? err.message : String(err)}`);
      return;
    }
    const read = parseResultsText(text);
    if (!read.ok) {
      setMessage(`${file.name} was not imported: ${read.reason}`);
      return;
    }
    setMessage(undefined);
    controller.reset();
    // Just after the page loads the archive may still be starting: the import waits to be saved.
    const saved = await archiveReady;
    if (saved)
      await saved.showResults(read.results, {
        source: 'imported',
        save: true,
        name: file.name.replace(/\.json$/i, ''),
      });
    else showUnsavedResults(store, read.results);
  }

  // Stable, so that the memoised items do not re-render when the panel does (Train, each save).
  const open = useCallback(
    async (id: string) => {
      controller.reset();
      if (!(await archive?.open(id))) setMessage('That experiment is no longer saved.');
    },
    [controller, archive],
  );

  return (
    <section className="panel history" aria-label="history">
      <strong>History</strong>
      <label className="import">
        Import results{' '}
        <input
          type="file"
          accept=".json,application/json"
          disabled={active}
          onChange={(e) => void importFile(e)}
          aria-label="import results file"
        />
      </label>
      {(message || error) && (
        <p className="issue" role="alert">
          {message ?? error}
        </p>
      )}
      {list.length === 0 ? (
        !error && <p className="description">Experiments you train or import are kept here, in this browser.</p>
      ) : (
        <ul className="history-list">
          {list.map((e) => (
            <HistoryItem key={e.id} entry={e} shown={e.id === shownId} disabled={active || !archive} onOpen={open} />
          ))}
        </ul>
      )}
    </section>
  );
}

const HistoryItem = memo(function HistoryItem({
  entry,
  shown,
  disabled,
  onOpen,
}: {
  entry: ExperimentSummary;
  shown: boolean;
  disabled: boolean;
  onOpen(id: string): Promise<void>;
}) {
  const archive = useArchive();
  const [renaming, setRenaming] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const statuses = entry.runOrder.map((id) => `${id}: ${entry.statuses[id] ?? 'queued'}`).join(', ');
  return (
    <li className={shown ? 'history-item shown' : 'history-item'} data-experiment={entry.id}>
      {renaming === undefined ? (
        <span className="history-name">{entry.name}</span>
      ) : (
        <form
          onSubmit={(ev) => {
            ev.preventDefault();
            void archive?.rename(entry.id, renaming.trim() || entry.name);
            setRenaming(undefined);
          }}
        >
          <input value={renaming} onChange={(ev) => setRenaming(ev.target.value)} aria-label="new name" autoFocus />
          <button type="submit" className="small">
            Save
          </button>
        </form>
      )}
      <span className="history-meta">
        {new Date(entry.updatedAt).toLocaleString()} · {entry.dataset}, {entry.model} · {statuses}
        {entry.source !== 'trained' ? ` · ${entry.source}` : ''}
      </span>
      <span className="card-actions">
        <button type="button" className="small" disabled={disabled || shown} onClick={() => void onOpen(entry.id)}>
          Open
        </button>
        <button type="button" className="small" onClick={() => setRenaming(entry.name)}>
          Rename
        </button>
        {confirming ? (
          <button type="button" className="small" onClick={() => void archive?.remove(entry.id)}>
            Really delete
          </button>
        ) : (
          <button type="button" className="small" onClick={() => setConfirming(true)}>
            Delete
          </button>
        )}
      </span>
    </li>
  );
});
