// The lab page: presets and the experiment form on the left, the runs and their charts on the right.
import { memo } from 'react';
import { selectActive, selectNotice, selectRunOrder } from '../state/selectors';
import { ChartsPanel } from './charts/ChartsPanel';
import { ClassroomShell, ViewBar } from './classroom/ClassroomShell';
import { Handout } from './classroom/Handout';
import { LessonPanel } from './classroom/LessonPanel';
import { LessonStage } from './classroom/LessonStage';
import { TheoryPanel } from './classroom/TheoryPanel';
import { Controls } from './Controls';
import { DatasetPicker } from './DatasetPicker';
import { ExperimentPanel } from './ExperimentPanel';
import { ExportPanel } from './export/ExportPanel';
import { HistoryPanel } from './history/HistoryPanel';
import { useLab, useLabContext, useLabDeferred } from './labContext';
import { LandscapeSection } from './landscape/LandscapeSection';
import { PresetPicker } from './PresetPicker';
import { RunCard } from './RunCard';
import { RunEditor } from './RunEditor';
import { ShareBar } from './share/ShareBar';
import { WebGpuNotice } from './WebGpuNotice';

export function App() {
  const classroom = useLab((s) => s.view === 'classroom');
  return (
    <div className="app">
      <header className="top">
        <h1>Duality Lab</h1>
        <p>
          SGD, SAM and adversarial training side by side, with clean and robust accuracy live (after Zhang et al., “On
          the Duality Between Sharpness-Aware Minimization and Adversarial Training”, ICML 2024).
        </p>
        <ViewBar />
      </header>
      <ClassroomShell />
      <WebGpuNotice />
      <Notice />
      <main>
        <aside className="setup">
          {classroom ? <LessonPanel /> : <SetupForm />}
          <HistoryPanel />
        </aside>
        <section className="results">
          {classroom && <LessonStage />}
          <Controls />
          <ShareBar />
          <RunCards />
          <ChartsPanel />
          <LandscapeSection />
          <ExportPanel />
        </section>
      </main>
      {classroom && <TheoryPanel />}
      {classroom && <Handout />}
    </div>
  );
}

/** The experiment form, locked while runs go: not re-rendered by the Train click itself, only by the deferred lock. */
function SetupForm() {
  return <SetupPanels disabled={useLabDeferred(selectActive)} />;
}

const SetupPanels = memo(function SetupPanels({ disabled }: { disabled: boolean }) {
  return (
    <>
      <PresetPicker disabled={disabled} />
      <DatasetPicker disabled={disabled} />
      <ExperimentPanel disabled={disabled} />
      <RunEditor disabled={disabled} />
    </>
  );
});

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
  const order = useLabDeferred(selectRunOrder);
  return (
    <div className="run-cards">
      {order.map((id, i) => (
        <RunCard key={id} id={id} index={i} />
      ))}
    </div>
  );
}
