// Page start-up: the spec (a preset, or one from the URL hash), the store, the run controller and,
// for the end-to-end tests only (?e2e=1), a read-only window hook.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { DEFAULT_PRESET_ID, PRESETS } from './core/presets';
import { specFromHash } from './state/hashSpec';
import { createLabStore } from './state/labStore';
import { createRunController } from './state/runController';
import { installTestHook } from './state/testHook';
import { defaultParallelism } from './state/uiSlice';
import { createRunWorker } from './state/workerFactory';
import { App } from './ui/App';
import { LabContext } from './ui/labContext';
import './ui/styles.css';

const params = new URLSearchParams(location.search);
const preset = PRESETS.find((p) => p.id === DEFAULT_PRESET_ID)!;
const fromHash = specFromHash(location.hash, preset.spec);
const parallel = Number(params.get('parallel'));

const store = createLabStore({
  spec: fromHash?.spec ?? preset.spec,
  presetId: fromHash ? undefined : preset.id,
  maxParallel: Number.isInteger(parallel) && parallel > 0 ? parallel : defaultParallelism(navigator.hardwareConcurrency),
});
if (fromHash?.message) store.getState().setNotice(fromHash.message);
const controller = createRunController(store, createRunWorker);
if (params.get('e2e') === '1') installTestHook(store);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <LabContext.Provider value={{ store, controller }}>
      <App />
    </LabContext.Provider>
  </StrictMode>,
);
