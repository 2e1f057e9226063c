// The text beside the charts: a table of each run's latest clean and robust accuracy per budget
// (what the trade-off chart draws), readable by a screen reader and in a glance.
import { memo } from 'react';
import type { AttackSpec, RunSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { attackLabel } from '../../state/runLabel';
import { runColor } from '../palette';
import { summaryRows } from './summaryRows';

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);

export const ChartSummary = memo(function ChartSummary({ runs, histories, attacks }: { runs: RunSpec[]; histories: HistoryPoint[][]; attacks: AttackSpec[] }) {
  const rows = summaryRows(runs, histories, attacks);
  return (
    <div className="chart-summary" data-chart-summary>
      <table>
        <caption>Latest numbers per run: clean accuracy and robust accuracy at each budget</caption>
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">epoch</th>
            <th scope="col">clean</th>
            {attacks.map((a) => (
              <th scope="col" key={`${a.norm}:${a.eps}`}>
                robust {attackLabel(a)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.runId} data-run={r.runId}>
              <th scope="row">
                <span className="swatch" style={{ background: runColor(r.index) }} aria-hidden />
                {r.name}
              </th>
              <td>{r.epoch === undefined ? '–' : r.epoch.toFixed(2)}</td>
              <td>{pct(r.clean)}</td>
              {r.robust.map((v, i) => (
                <td key={i}>{pct(v)}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
