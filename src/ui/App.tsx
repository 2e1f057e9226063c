// The lab page: presets and the experiment form on the left, the runs and their charts on the right.
import { selectActive, selectNotice, selectRunOrder } from '../state/selectors';
import { ChartsPanel } from './charts/ChartsPanel';
import { Controls } from './Controls';
import { ExperimentPanel } from './ExperimentPanel';
import { useLab, useLabContext } from './labContext';
import { PresetPicker } from './PresetPicker';
import { RunCard } from './RunCard';
import { RunEditor } from './RunEditor';
import { WebGpuNotice } from './WebGpuNotice';

export function App() {
  const active = useLab(selectActive);
  return (
    <div className="app">
      <header className="top">
        <h1>Duality Lab</h1>
        <p>
          SGD, SAM and adversarial training side by side, with clean and robust accuracy live (after Zhang et al., “On the Duality Between
          Sharpness-Aware Minimization and Adversarial Training”, ICML 2024).
        </p>
      </header>
      <WebGpuNotice />
      <Notice />
      <main>
        <aside className="setup">
          <PresetPicker disabled={active} />
          <ExperimentPanel disabled={active} />
          <RunEditor disabled={active} />
        </aside>
        <section className="results">
          <Controls />
          <RunCards />
          <ChartsPanel />
        </section>
      </main>
    </div>
  );
}

function Notice() {
  const notice = useLab(selectNotice);
  const { store } = useLabContext();
  if (!notice) return null;
  return (
    <div className="notice" role="status">
      <pre>{notice}</pre>
      <button type="button" className="small" onClick={() => store.getState().setNotice(undefined)}>
        OK
      </button>
    </div>
  );
}

function RunCards() {
  const order = useLab(selectRunOrder);
  return (
    <div className="run-cards">
      {order.map((id, i) => (
        <RunCard key={id} id={id} index={i} />
      ))}
    </div>
  );
}
