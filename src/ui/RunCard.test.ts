// Server-side renders of a run card (Node has no DOM): a run shown from saved data offers no
// landscape, says why next to the disabled button, and a run trained in this page does not.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { DEFAULT_SPEC, type ExperimentSpec } from '../core/spec';
import { createLabStore, type LabState } from '../state/labStore';
import { runViewsFromResults } from '../state/resultsFile';
import { createClassroomController } from '../state/classroomController';
import { createDatasetController } from '../state/datasetController';
import { createRunController } from '../state/runController';
import { WEIGHTS_GONE_REASON } from '../state/runsSlice';
import { LabContext } from './labContext';
import { RunCard } from './RunCard';

const spec: ExperimentSpec = { ...structuredClone(DEFAULT_SPEC), runs: [{ id: 'a', method: 'sgd' }] };

/** The card of run "a", done, as the page shows it: restored (opened, imported) or trained here. */
function renderCard(restored: boolean): string {
  const lab = createLabStore({ spec });
  const [view] = runViewsFromResults({
    spec,
    backend: 'wasm',
    runs: [{ id: 'a', method: 'sgd', status: 'done', history: [], msPerStep: 1 }],
  });
  lab.setState({ trainedSpec: spec, runs: { a: view }, runOrder: ['a'], restoredRuns: restored ? { a: true } : {} });
  // A server render reads the store's initial state: a store that starts from this one.
  const store = createStore<LabState>()(() => lab.getState());
  const noWorker = () => {
    throw new Error('no worker in a render');
  };
  const context = {
    store,
    controller: createRunController(store, noWorker),
    datasets: createDatasetController(store, { createWorker: noWorker }),
    classroom: createClassroomController(noWorker),
  };
  return renderToStaticMarkup(
    createElement(LabContext.Provider, { value: context }, createElement(RunCard, { id: 'a', index: 0 })),
  );
}

const sliceNow = (html: string) => html.match(/<button[^>]*class="small slice-now"[^>]*>/)![0];

describe('run card', () => {
  it('a restored run: "Slice now" is disabled and described by the reason, shown beside it', () => {
    const html = renderCard(true);
    const button = sliceNow(html);
    expect(button).toContain('disabled=""');
    const describedBy = button.match(/aria-describedby="([^"]+)"/)?.[1];
    expect(describedBy).toBeDefined();
    expect(html).toContain(`id="${describedBy}">${WEIGHTS_GONE_REASON}</small>`);
  });

  it('a run trained in this page: "Slice now" is offered and no reason is shown', () => {
    const html = renderCard(false);
    expect(sliceNow(html)).not.toContain('disabled');
    expect(sliceNow(html)).not.toContain('aria-describedby');
    expect(html).not.toContain(WEIGHTS_GONE_REASON);
  });
});
