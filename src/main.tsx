// Page start-up: the spec (a preset, or one from the share link in the URL hash), the store, the
// controllers of every worker (runs, dataset import, classroom), the hash kept in step with the form, the saved experiments and, for the end-to-end
// tests only (?e2e=1), a read-only window hook.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_PRESET_ID, PRESETS } from './core/presets';
import { createLifecycleAnnouncements } from './core/run/lifecycle';
import { startArchive } from './state/archiveStartup';
import { createLabStore } from './state/labStore';
import { createBackendChooser } from './state/backendChooser';
import { browserEnvironmentKey } from './state/environmentKey';
import { createClassroomController } from './state/classroomController';
import { createDatasetController } from './state/datasetController';
import { createRunController } from './state/runController';
import { readShareLink, type LinkContents } from './state/shareLink';
import { installTestHook } from './state/testHook';
import { defaultParallelism } from './state/uiSlice';
import { syncHashWithSpec } from './state/urlSync';
import { workerExperimentDb } from './state/experimentDb';
import {
  createClassroomWorker,
  createDbWorker,
  createImportWorker,
  createProbeWorker,
  createRunWorker,
} from './state/workerFactory';
import { App } from './ui/App';
import { ArchiveProvider } from './ui/history/archiveContext';
import { LabContext } from './ui/labContext';
import './ui/styles.css';

// The page's first locale formatting loads ICU data (50-150 ms on a small, busy machine). Done here,
// while the page loads, it does not land in the Train click's task (the run cards' cost estimate)
// or in the task that lists the first saved experiment (its date).
(0).toLocaleString();
new Date(0).toLocaleString();

const params = new URLSearchParams(location.search);
const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!;
// The link is untrusted: whatever it holds, the page starts (with the preset and a word if need be).
function readLink(): LinkContents {
  try {
    return readShareLink(location.hash, preset.spec);
  } catch (e) {
    return {
      spec: structuredClone(preset.spec),
      found: false,
      message: `The link could not be read (${String(e instanceof Error ? e.message : e).slice(0, 200)}); the default experiment is shown.`,
    };
  }
}
const link = readLink();
const parallel = Number(params.get('parallel'));

const store = createLabStore({
  spec: link.found ? link.spec : preset.spec,
  presetId: link.found ? undefined : preset.id,
  maxParallel:
    Number.isInteger(parallel) && parallel > 0 ? parallel : defaultParallelism(navigator.hardwareConcurrency),
});
if (link.message) store.getState().setNotice(link.message);
// Asked once while the page loads: the first WebGPU adapter request starts the GPU process's side
// of WebGPU, work that would otherwise land in the Train click's task.
const environmentKey = browserEnvironmentKey();
const chooseBackend = createBackendChooser({
  createProbeWorker,
  storage: globalThis.localStorage,
  environmentKey: () => environmentKey,
  setTimer: (callback, ms) => setTimeout(callback, ms),
  clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
});
// The run controller announces each Train, Restart and Reset to the saved experiments.
const lifecycle = createLifecycleAnnouncements();
// ?workers=N spreads the runs over N workers (default one: they share its memory, see runController.ts).
const workers = Number(params.get('workers'));
const controller = createRunController(store, createRunWorker, {
  chooseBackend,
  announce: lifecycle.announce,
  maxWorkers: Number.isInteger(workers) && workers > 0 ? workers : 1,
});
const datasets = createDatasetController(store, { createWorker: createImportWorker });
const classroom = createClassroomController(createClassroomWorker);
if (params.get('e2e') === '1') installTestHook(store);
syncHashWithSpec(store, window);
const archive = startArchive(store, link, {
  openDb: globalThis.indexedDB ? (timeoutMs) => workerExperimentDb(createDbWorker(), undefined, timeoutMs) : undefined,
  sessionStorage: globalThis.sessionStorage,
  locks: navigator.locks,
  onPageHide: (callback) => addEventListener('pagehide', callback),
  announcements: lifecycle,
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabContext.Provider value={{ store, controller, datasets, classroom }}>
      <ArchiveProvider ready={archive}>
        <App />
      </ArchiveProvider>
    </LabContext.Provider>
  </StrictMode>,
);
