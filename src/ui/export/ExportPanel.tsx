// Export of the shown experiment: the results JSON (the CLI's format), every curve as CSV, each
// chart as SVG or PNG, and each run's trained weights as .safetensors (asked from its worker,
// which keeps the model after the run ends; a run shown from saved data has none, and its button
// is off with the reason).
import { useId, useState } from 'react';
import { resultsToCsv, resultsToJson } from '../../core/train/resultsFile';
import { resultsFromState } from '../../state/resultsFile';
import { WEIGHTS_GONE_REASON } from '../../state/runsSlice';
import { isFinal } from '../../state/runView';
import { selectActive, selectRunOrder, selectTrainedSpec } from '../../state/selectors';
import { useLab, useLabContext, useLabDeferred } from '../labContext';
import { useNextFrame } from '../useNextFrame';
import { chartPng, chartSvgText } from './chartImage';
import { downloadBlob } from './download';
import { OpenWeightsRow } from './OpenWeightsRow';

const CHARTS: { kind: string; title: string }[] = [
  { kind: 'loss', title: 'Loss' },
  { kind: 'clean', title: 'Clean accuracy' },
  { kind: 'robust', title: 'Robust accuracy' },
  { kind: 'tradeoff', title: 'Trade-off' },
];

export function ExportPanel() {
  const { store, controller } = useLabContext();
  // Mounted with the charts it exports: after the Train click's task and the run cards' frame.
  // Three frames late: after the charts (one frame late) have been laid out in a commit of their own.
  const spec = useNextFrame(useLab(selectTrainedSpec), 3);
  const order = useNextFrame(useLab(selectRunOrder), 3);
  const active = useLabDeferred(selectActive);
  const restored = useLabDeferred((s) => s.restoredRuns);
  const runs = useLabDeferred((s) => s.runs);
  const reasonId = useId();
  const [message, setMessage] = useState<string>();
  if (!spec || order.length === 0) return null;
  const results = () => resultsFromState(store.getState())!;
  const run = async (what: string, work: () => Promise<void> | void) => {
    setMessage(undefined);
    try {
      await work();
    } catch (e) {
      setMessage(`${what} failed: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  const chartSvg = (kind: string) => {
    const svg = document.querySelector<SVGSVGElement>(`[data-chart="${kind}"] svg.svg-chart`);
    if (!svg) throw new Error(`the ${kind} chart is not shown`);
    return svg;
  };
  const charts = CHARTS.filter((c) => spec.eval.attacks.length > 0 || (c.kind !== 'robust' && c.kind !== 'tradeoff'));
  return (
    <section className="panel export" aria-label="export">
      <strong>Export</strong>{' '}
      <button
        type="button"
        className="small"
        onClick={() =>
          run('Results', () =>
            downloadBlob(
              'duality-lab-results.json',
              new Blob([resultsToJson(results())], { type: 'application/json' }),
            ),
          )
        }
      >
        Results JSON
      </button>{' '}
      <button
        type="button"
        className="small"
        onClick={() =>
          run('CSV', () =>
            downloadBlob('duality-lab-curves.csv', new Blob([resultsToCsv(results())], { type: 'text/csv' })),
          )
        }
      >
        Curves CSV
      </button>
      <div className="export-row">
        Charts:{' '}
        {charts.map((c) => (
          <span key={c.kind} className="export-item">
            {c.title}{' '}
            <button
              type="button"
              className="small"
              aria-label={`${c.title} SVG`}
              onClick={() =>
                run('SVG', () =>
                  downloadBlob(
                    `duality-lab-${c.kind}.svg`,
                    new Blob([chartSvgText(chartSvg(c.kind))], { type: 'image/svg+xml' }),
                  ),
                )
              }
            >
              SVG
            </button>
            <button
              type="button"
              className="small"
              aria-label={`${c.title} PNG`}
              onClick={() =>
                run('PNG', async () => downloadBlob(`duality-lab-${c.kind}.png`, await chartPng(chartSvg(c.kind))))
              }
            >
              PNG
            </button>
          </span>
        ))}
      </div>
      <div className="export-row">
        Weights (.safetensors, PyTorch layout):{' '}
        {order.map((id) => (
          <button
            key={id}
            type="button"
            className="small"
            aria-label={`weights of ${id}`}
            disabled={restored[id]}
            aria-describedby={restored[id] ? reasonId : undefined}
            title={active ? 'the current weights, taken between two steps' : undefined}
            onClick={() =>
              run(`Weights of ${id}`, async () =>
                downloadBlob(
                  `duality-lab-${id}.safetensors`,
                  new Blob([await controller.requestWeights(id)], { type: 'application/octet-stream' }),
                ),
              )
            }
          >
            {id}
          </button>
        ))}
        {order.some((id) => restored[id]) && (
          <small className="weights-gone" id={reasonId}>
            {WEIGHTS_GONE_REASON}
          </small>
        )}
      </div>
      {/* A restored run opens weights too: the controller gives it a worker that builds its model without training. */}
      <OpenWeightsRow
        order={order}
        ended={Object.fromEntries(order.map((id) => [id, runs[id] !== undefined && isFinal(runs[id].status)]))}
      />
      {message && (
        <p className="issue" role="alert">
          {message}
        </p>
      )}
    </section>
  );
}
