// All charts of the trained experiment. Their data is derived from the store only when it changes
// (accuracy at an evaluation, loss at a flush) and rendered as deferred updates, so drawing SVG
// never holds the main thread for long while workers train (the rate: state/messageBuffer.ts).
import { useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { attackKey } from '../../core/spec';
import { cleanAccuracyData, lossChartData, robustAccuracyData, tradeoffData } from '../../state/chartData';
import { attackLabel } from '../../core/budgetLabel';
import { runLabel } from '../../state/runLabel';
import { selectChartAttack, selectHistories, selectLossPoints, selectTrainedSpec } from '../../state/selectors';
import { useLab, useLabContext, useLabDeferred } from '../labContext';
import { attackDash, runColor } from '../palette';
import { useNextFrame } from '../useNextFrame';
import { AccuracyChart } from './AccuracyChart';
import { AttackChecksAlert, AttackChecksPanel, runChecks } from './AttackChecksPanel';
import { ChartSummary } from './ChartSummary';
import { LossChart } from './LossChart';
import { TradeoffChart } from './TradeoffChart';

/** Up to this many budgets are drawn together; with more, the selector shows one at a time. */
const MAX_ATTACKS_TOGETHER = 3;

export function ChartsPanel() {
  // On Train the charts mount after the click's task and a frame after the run cards, so no one task lays out both.
  const spec = useNextFrame(useLab(selectTrainedSpec));
  const chosen = useLab(selectChartAttack);
  // Deferred: React renders the charts in the background, in slices of a few ms, not in one long task.
  const histories = useLabDeferred(useShallow(selectHistories));
  const lossPoints = useLabDeferred(useShallow(selectLossPoints));
  const { store } = useLabContext();
  const runs = useMemo(() => spec?.runs ?? [], [spec]);
  const attacks = useMemo(() => spec?.eval.attacks ?? [], [spec]);
  const keys = attacks.map(attackKey);
  const attackNames = useMemo(() => attacks.map(attackLabel), [attacks]);
  const only =
    chosen !== undefined && keys.includes(chosen)
      ? chosen
      : attacks.length > MAX_ATTACKS_TOGETHER
        ? keys[0]
        : undefined;

  const loss = useMemo(() => lossChartData(runs, lossPoints), [runs, lossPoints]);
  const clean = useMemo(() => cleanAccuracyData(runs, histories), [runs, histories]);
  const robust = useMemo(() => robustAccuracyData(runs, histories, attacks, only), [runs, histories, attacks, only]);
  // The trade-off chart, the summary table and the attack checks follow each evaluation two frames
  // after the accuracy charts: updated together, the first evaluation's commit took 50-100 ms.
  const later = useNextFrame(histories, 2);
  const tradeoff = useMemo(() => tradeoffData(runs, later, attacks), [runs, later, attacks]);
  const checks = useMemo(() => (spec ? runChecks(spec, later) : []), [spec, later]);
  if (!spec || runs.length === 0) return null;
  return (
    <section className="charts" aria-label="charts">
      <div className="legend">
        {runs.map((r, i) => (
          <span key={r.id} className="legend-item">
            <span className="swatch" style={{ background: runColor(i) }} aria-hidden />
            {runLabel(r)}
          </span>
        ))}
      </div>
      <AttackChecksAlert spec={spec} checks={checks} />
      <LossChart series={loss} />
      <AccuracyChart title="Clean accuracy" kind="clean" series={clean} />
      {attacks.length > 0 && (
        <div className="robust-header">
          <label>
            Robust accuracy (PGD-{spec.eval.pgdSteps}) at{' '}
            <select
              value={only ?? 'all'}
              onChange={(e) => store.getState().setChartAttack(e.target.value === 'all' ? undefined : e.target.value)}
            >
              {attacks.length <= MAX_ATTACKS_TOGETHER && <option value="all">every budget</option>}
              {attacks.map((a) => (
                <option key={attackKey(a)} value={attackKey(a)}>
                  {attackLabel(a)}
                </option>
              ))}
            </select>
          </label>
          <span className="dash-legend">
            {attacks.map((a, i) =>
              only === undefined || only === attackKey(a) ? (
                <span key={attackKey(a)} className="legend-item">
                  <svg width="28" height="8" aria-hidden>
                    <line x1="0" y1="4" x2="28" y2="4" stroke="#444" strokeWidth="2" strokeDasharray={attackDash(i)} />
                  </svg>
                  {attackLabel(a)}
                </span>
              ) : null,
            )}
          </span>
        </div>
      )}
      {attacks.length > 0 && <AccuracyChart title="Robust accuracy" kind="robust" series={robust} />}
      <p className="chart-note" data-testid="eval-note">
        Points during training:{' '}
        {spec.eval.attacks.length > 0 ? `PGD-${Math.min(spec.eval.during.pgdSteps, spec.eval.pgdSteps)} on ` : ''}
        {Math.min(spec.eval.during.subsetSize, spec.eval.subsetSize)} test images, a quick look; the last point of each
        run, its result: {spec.eval.attacks.length > 0 ? `PGD-${spec.eval.pgdSteps} on ` : ''}
        {spec.eval.subsetSize}
        {spec.eval.attacks.length > 0 && spec.eval.apgd.enabled
          ? `, and APGD (□, ${spec.eval.apgd.steps} steps, CE then ${spec.eval.apgd.targets} targets of DLR)`
          : ''}
        .
      </p>
      {attacks.length > 0 && <TradeoffChart points={tradeoff} attackNames={attackNames} />}
      <ChartSummary runs={runs} histories={later} attacks={attacks} pgdSteps={spec.eval.pgdSteps} />
      <AttackChecksPanel spec={spec} checks={checks} />
    </section>
  );
}
