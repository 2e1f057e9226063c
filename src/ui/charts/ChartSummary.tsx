// The text beside the charts: a table of each run's latest clean and robust accuracy per budget
// (what the trade-off chart draws), PGD and, on the final evaluation, APGD side by side, and each SAM
// run's gain over SGD under both; readable by a screen reader and in a glance.
import { memo } from 'react';
import type { AttackSpec, RunSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { attackLabel } from '../../core/budgetLabel';
import { runColor } from '../palette';
import { samGainRows, summaryRows } from './summaryRows';

const pct = (v: number | undefined) => (v === undefined ? '–' : `${(v * 100).toFixed(1)} %`);
const gain = (v: number | undefined) =>
  v === undefined ? '–' : `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(1)}`;

export const ChartSummary = memo(function ChartSummary({
  runs,
  histories,
  attacks,
  pgdSteps,
}: {
  runs: RunSpec[];
  histories: HistoryPoint[][];
  attacks: AttackSpec[];
  pgdSteps: number;
}) {
  const rows = summaryRows(runs, histories, attacks);
  const gains = samGainRows(runs, rows);
  const withApgd = rows.some((r) => r.apgd.some((v) => v !== undefined));
  return (
    <div className="chart-summary" data-chart-summary>
      <table>
        <caption>
          Latest numbers per run: clean accuracy and robust accuracy at each budget
          {withApgd ? `, PGD-${pgdSteps} and APGD (CE + targeted DLR) on the final evaluation` : ''}
        </caption>
        <thead>
          <tr>
            <th scope="col">run</th>
            <th scope="col">epoch</th>
            <th scope="col">clean</th>
            {attacks.map((a) => [
              <th scope="col" key={`${a.norm}:${a.eps}`}>
                {withApgd ? `PGD-${pgdSteps}` : 'robust'} {attackLabel(a)}
              </th>,
              withApgd && (
                <th scope="col" key={`${a.norm}:${a.eps}:apgd`}>
                  APGD {attackLabel(a)}
                </th>
              ),
            ])}
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
              {r.robust.map((v, i) => [
                <td key={i}>{pct(v)}</td>,
                withApgd && <td key={`${i}:apgd`}>{pct(r.apgd[i])}</td>,
              ])}
            </tr>
          ))}
          {gains.map((g) => (
            <tr key={`gain:${g.runId}`} data-gain={g.runId} className="gain-row">
              <th scope="row">{g.name} (points)</th>
              <td />
              <td>{gain(g.clean)}</td>
              {g.robust.map((v, i) => [
                <td key={i}>{gain(v)}</td>,
                withApgd && <td key={`${i}:apgd`}>{gain(g.apgd[i])}</td>,
              ])}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});
