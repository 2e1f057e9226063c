// Nothing lost: the shown experiment and its runs are saved to IndexedDB as they arrive. A run is
// saved at once when its status changes, an evaluation lands or its run-level data (runData.ts:
// a finished landscape) changes, otherwise at most once per `throttleMs`. The experiment record
// (the history list's statuses) is written once per task however many runs changed in it. A run
// found unfinished when an experiment is opened again (the tab was closed or reloaded mid-way: its
// worker is gone) is shown and saved as 'interrupted', with all it had. What is opened is untrusted
// (an older version of the page, an edit): the spec is checked, then each run (savedRunView.ts); a
// run that does not read is shown in error with the reason, and the others open as they were.
// Opened or imported runs have no worker: restoredRuns (runsSlice.ts) says so to the page.
//
// The run controller announces what changes the saved experiment (core/run/lifecycle.ts): a Train
// starts a new one, a Restart saves its run at once, a Reset stops the saving. Putting a saved
// experiment or imported results on screen is this module's own doing and saves nothing by itself.
import type { LifecycleAnnouncement, LifecycleAnnouncements } from '../core/run/lifecycle';
import { validateSpec, type ExperimentSpec } from '../core/spec';
import type { Results, RunStatus } from '../core/train/results';
import type { ExperimentDb, ExperimentRecord, RunRecord } from './experimentDb';
import type { ExperimentLocks } from './experimentLocks';
import type { LabState, LabStore } from './labStore';
import { runViewsFromResults } from './resultsFile';
import { RUN_DATA_PARTS, type RunDataPart } from './runData';
import { isFinal, newRunView, restoredView, type RunView } from './runView';
import { readSavedRunView } from './savedRunView';
import { selectActive } from './selectors';

export interface PersistenceOptions {
  throttleMs?: number;
  now?(): number;
  parts?: RunDataPart[];
  newId?(): string;
  /** Which experiments open tabs show; without it the history list shows the saved statuses as they are. */
  locks?: ExperimentLocks;
  /** The run controller's announcements: a Train starts a new saved experiment. */
  announcements?: Pick<LifecycleAnnouncements, 'listen'>;
}

export interface Persistence {
  /** Resolves when every save asked for so far is written (pending throttled saves are written now). */
  flush(): Promise<void>;
  /**
   * Shows a saved experiment; with keepForm the form keeps its spec (a reload after editing). False
   * when it is gone. With whileIdle it is shown only if no run has started by the time it is read.
   */
  open(id: string, options?: { keepForm?: boolean; whileIdle?: boolean }): Promise<boolean>;
  /** Shows finished results (an imported file, a results link); `save` keeps them as a new saved experiment. */
  showResults(results: Results, options: { source: 'imported' | 'link'; save: boolean; name?: string }): Promise<void>;
  rename(id: string, name: string): Promise<void>;
  remove(id: string): Promise<void>;
  refreshList(): Promise<void>;
  detach(): void;
}

export function defaultExperimentName(spec: ExperimentSpec): string {
  return `${spec.runs.map((r) => r.id).join(' · ')} on ${spec.dataset.name} (${spec.model.name})`;
}

export function attachPersistence(store: LabStore, db: ExperimentDb, options: PersistenceOptions = {}): Persistence {
  const throttleMs = options.throttleMs ?? 1000;
  const now = options.now ?? (() => Date.now());
  const parts = options.parts ?? RUN_DATA_PARTS;
  const newId = options.newId ?? (() => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`);
  const pending = new Set<Promise<unknown>>();
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** What was last written per run (key experimentId/runId), to tell an urgent save from a throttled one. */
  const lastSaved = new Map<string, { at: number; status: RunStatus; evals: number }>();
  /** The saved experiment on screen, whose runs are saved as they change; undefined: nothing is saved. */
  let followed: ExperimentRecord | undefined;

  const track = <T>(p: Promise<T>): Promise<T> => {
    const guarded = p.catch((e: unknown) => {
      store.getState().setArchiveError(`Saving the experiment failed: ${e instanceof Error ? e.message : String(e)}`);
    });
    pending.add(guarded);
    void guarded.finally(() => pending.delete(guarded));
    return p;
  };

  /**
   * The history list. A run left unfinished in an experiment no tab shows was cut off when its tab
   * closed: listed as interrupted (opening it saves it so).
   */
  const refreshList = async () => {
    const list = await db.listExperiments();
    const shown = await options.locks?.held();
    const cutOff = (r: ExperimentRecord): ExperimentRecord =>
      shown && !shown.has(r.id) && Object.values(r.statuses).some((st) => !isFinal(st))
        ? {
            ...r,
            statuses: Object.fromEntries(
              Object.entries(r.statuses).map(([id, st]) => [id, isFinal(st) ? st : 'interrupted']),
            ),
          }
        : r;
    store.getState().setArchive(list.map(cutOff));
  };
  /** Saves the runs of `record` from now on, and holds it for this tab. */
  const follow = (record: ExperimentRecord | undefined) => {
    followed = record;
    options.locks?.hold(record?.id);
  };

  /**
   * Experiment records to put at the end of this task, by id. A Train click puts the new record and
   * then changes every run's status in the same task; each change replaces the record here, so it
   * is written once with all of them, and the history list is read again once after it.
   */
  const unwritten = new Map<string, ExperimentRecord>();
  let writeQueued = false;
  const putExperiment = (record: ExperimentRecord) => {
    unwritten.set(record.id, record);
    if (writeQueued) return;
    writeQueued = true;
    track(
      Promise.resolve().then(async () => {
        writeQueued = false;
        const records = [...unwritten.values()];
        unwritten.clear();
        if (records.length === 0) return; // removed meanwhile
        await Promise.all(records.map((r) => db.putExperiment(r)));
        await refreshList();
      }),
    );
  };

  function runRecord(s: LabState, experimentId: string, id: string): RunRecord {
    const extras: Record<string, unknown> = {};
    for (const part of parts) {
      const value = part.read(s, id);
      if (value !== undefined) extras[part.key] = value;
    }
    return { experimentId, id, view: s.runs[id], extras };
  }

  function saveRun(id: string) {
    const s = store.getState();
    const exp = followed;
    if (!exp || s.experimentId !== exp.id || !s.runs[id]) return;
    const key = `${exp.id}/${id}`;
    clearTimeout(timers.get(key));
    timers.delete(key);
    const view = s.runs[id];
    lastSaved.set(key, { at: now(), status: view.status, evals: view.history.length });
    track(db.putRun(runRecord(s, exp.id, id)));
    if (exp.statuses[id] !== view.status) {
      followed = { ...exp, statuses: { ...exp.statuses, [id]: view.status }, updatedAt: now() };
      putExperiment(followed);
    }
  }

  /** Saves a run at once when its status or evaluations changed, else at most once per throttleMs. */
  function saveWhenDue(id: string) {
    const exp = followed;
    if (!exp) return;
    const view = store.getState().runs[id];
    const key = `${exp.id}/${id}`;
    const last = lastSaved.get(key);
    if (!last || last.status !== view.status || last.evals !== view.history.length || now() - last.at >= throttleMs)
      return saveRun(id);
    if (!timers.has(key))
      timers.set(
        key,
        setTimeout(() => saveRun(id), throttleMs - (now() - last.at)),
      );
  }

  function startExperiment() {
    const s = store.getState();
    const spec = s.trainedSpec;
    if (!spec) return;
    const id = newId();
    const t = now();
    const record: ExperimentRecord = {
      id,
      name: defaultExperimentName(spec),
      createdAt: t,
      updatedAt: t,
      spec,
      runOrder: [...s.runOrder],
      statuses: {},
      source: 'trained',
    };
    follow(record);
    store.setState({ experimentId: id });
    putExperiment(record);
    for (const runId of s.runOrder) saveRun(runId);
  }

  function forget() {
    follow(undefined);
    if (store.getState().experimentId !== undefined) store.setState({ experimentId: undefined });
  }

  function hear(a: LifecycleAnnouncement) {
    switch (a.type) {
      case 'experimentStarted':
        return startExperiment();
      case 'runRestarted':
        return saveRun(a.runId);
      case 'experimentReset':
        return forget();
      default: {
        const unknown: never = a;
        throw new Error(`unknown announcement ${JSON.stringify(unknown)}`);
      }
    }
  }
  const unlisten = options.announcements?.listen(hear);
  // A Train clicked while the database was opening was not heard: its experiment is saved from now.
  if (store.getState().experimentId === undefined && selectActive(store.getState())) startExperiment();

  const unsubscribe = store.subscribe((s, prev) => {
    if (!followed || s.experimentId !== followed.id) return;
    for (const id of s.runOrder) {
      // Other slices' run data (a finished landscape) changes seldom and costs minutes to make
      // again: saved at once, not throttled like progress.
      if (parts.some((p) => p.read(s, id) !== p.read(prev, id))) saveRun(id);
      else if (s.runs[id] !== prev.runs[id]) saveWhenDue(id);
    }
  });

  /** Puts an experiment and its run views on screen in one update; nothing of it is saved again but what changes later. */
  function display(
    record: ExperimentRecord | undefined,
    spec: ExperimentSpec,
    runs: { view: RunView; extras: Record<string, unknown> }[],
    keepForm: boolean,
  ) {
    const s = store.getState();
    if (!keepForm) s.setSpec(spec);
    // Followed only once on screen: putting it there is no change to save.
    followed = undefined;
    let update: Partial<LabState> = {
      trainedSpec: structuredClone(spec),
      runs: Object.fromEntries(runs.map((r) => [r.view.id, r.view])),
      runOrder: runs.map((r) => r.view.id),
      // No worker holds these runs' weights: slicing and weights export are offered only after Train or a Restart.
      restoredRuns: Object.fromEntries(runs.map((r) => [r.view.id, true as const])),
      experimentId: record?.id,
    };
    for (const r of runs)
      for (const part of parts)
        if (r.extras[part.key] !== undefined)
          update = {
            ...update,
            ...part.restore({ ...store.getState(), ...update } as LabState, r.view.id, r.extras[part.key]),
          };
    store.setState(update);
    follow(record);
    if (record)
      for (const r of runs)
        lastSaved.set(`${record.id}/${r.view.id}`, { at: now(), status: r.view.status, evals: r.view.history.length });
  }

  return {
    async flush() {
      for (const id of [...timers.keys()]) saveRun(id.slice(id.indexOf('/') + 1));
      while (pending.size > 0) await Promise.all([...pending]);
    },
    async open(id, { keepForm = false, whileIdle = false } = {}) {
      const saved = await db.loadExperiment(id);
      if (whileIdle && saved && selectActive(store.getState())) return true;
      const checked = saved && validateSpec(saved.experiment.spec);
      if (!saved || !checked?.ok) return false;
      const spec = checked.spec;
      let record = { ...saved.experiment, spec };
      const runs: RunRecord[] = [];
      const unread: string[] = [];
      /** Runs cut off mid-way, saved again as interrupted. A run that did not read is not written over. */
      const changed: RunRecord[] = [];
      for (const r of saved.runs) {
        const read = readSavedRunView(r.view, r.id, spec);
        const runSpec = spec.runs.find((x) => x.id === r.id);
        if (read.ok) {
          const view = restoredView(read.view);
          runs.push({ ...r, view });
          if (view !== read.view) changed.push({ ...r, view });
        } else if (runSpec) {
          // Shown as a run in error with the reason; the others open. Restart trains it again.
          runs.push({
            ...r,
            view: {
              ...newRunView(runSpec),
              status: 'error',
              error: { message: `This saved run could not be read: ${read.reason}.`, kind: 'unreadable' },
            },
          });
        } else unread.push(read.reason);
      }
      if (unread.length > 0) store.getState().setNotice(`Saved runs not shown: ${unread.join('; ')}.`);
      if (changed.length > 0) {
        record = { ...record, statuses: Object.fromEntries(runs.map((r) => [r.id, r.view.status])) };
        for (const r of changed) track(db.putRun(r));
        putExperiment(record);
      }
      display(record, spec, runs, keepForm);
      return true;
    },
    async showResults(results, { source, save, name }) {
      const t = now();
      const views = runViewsFromResults(results);
      if (!save)
        return display(
          undefined,
          results.spec,
          views.map((view) => ({ view, extras: {} })),
          false,
        );
      const record: ExperimentRecord = {
        id: newId(),
        name: name ?? defaultExperimentName(results.spec),
        createdAt: t,
        updatedAt: t,
        spec: results.spec,
        runOrder: views.map((v) => v.id),
        statuses: Object.fromEntries(views.map((v) => [v.id, v.status])),
        source,
      };
      display(
        record,
        record.spec,
        views.map((view) => ({ view, extras: {} })),
        false,
      );
      putExperiment(record);
      for (const v of views) saveRun(v.id);
      await this.flush();
    },
    async rename(id, name) {
      const waiting = unwritten.get(id);
      if (waiting) unwritten.set(id, { ...waiting, name });
      await track(db.renameExperiment(id, name));
      if (followed?.id === id) followed = { ...followed, name };
      await refreshList();
    },
    async remove(id) {
      unwritten.delete(id);
      await track(db.deleteExperiment(id));
      // The runs stay on screen but are no longer saved.
      if (followed?.id === id) forget();
      await refreshList();
    },
    refreshList: () => track(refreshList()),
    detach() {
      unsubscribe();
      unlisten?.();
      options.locks?.hold(undefined);
      for (const t of timers.values()) clearTimeout(t);
      timers.clear();
    },
  };
}
