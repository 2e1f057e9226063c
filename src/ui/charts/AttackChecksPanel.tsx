// The attack checks (core/train/attackChecks.ts) of each run's final evaluation: one row per check,
// one cell per run, green or red with its number. A red check also shows above the charts
// (AttackChecksAlert), so that a number an attack may have inflated is not read unwarned.
import { memo } from 'react';
import { attackChecks, CHECK_TITLES, type AttackCheck, type CheckId } from '../../core/train/attackChecks';
import type { ExperimentSpec } from '../../core/spec';
import type { HistoryPoint } from '../../core/train/results';
import { runLabel } from '../../state/runLabel';

const MARK = { pass: '✓', fail: '✗', na: '·' } as const;

/** Checks per run, in run order. */
export function runChecks(spec: ExperimentSpec, histories: HistoryPoint[][]): AttackCheck[][] {
  return spec.runs.map((_, i) => attackChecks(spec.eval.attacks, histories[i]?.at(-1), spec.eval.subsetSize));
}

export const AttackChecksPanel = memo(function AttackChecksPanel({
  spec,
  checks,
}: {
  spec: ExperimentSpec;
  checks: AttackCheck[][];
}) {
  const ids = Object.keys(CHECK_TITLES) as CheckId[];
  return (
    <div className="attack-checks" data-attack-checks>
      <table>
        <caption>
          Attack checks of the final evaluation (Carlini et al., 2019): green passes, red fails, · not measured
        </caption>
        <thead>
          <tr>
            <th scope="col">check</th>
            {spec.runs.map((r) => (
              <th scope="col" key={r.id}>
                {runLabel(r)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {ids.map((id) => (
            <tr key={id} data-check={id}>
              <th scope="row">{CHECK_TITLES[id]}</th>
              {checks.map((run, i) => {
                const c = run.find((x) => x.id === id)!;
                return (
                  <td key={spec.runs[i].id} className={`check-${c.status}`} data-status={c.status}>
                    {MARK[c.status]} {c.value}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
});

/**
 * One line above the charts naming every failed check, or nothing. When the gap is the only one,
 * the stronger attack's numbers stand: it is PGD's (the live curves') that are inflated.
 */
export function AttackChecksAlert({ spec, checks }: { spec: ExperimentSpec; checks: AttackCheck[][] }) {
  const failed = checks.flatMap((run, i) =>
    run
      .filter((c) => c.status === 'fail')
      .map((c) => ({ id: c.id, text: `${runLabel(spec.runs[i])}: ${CHECK_TITLES[c.id]} (${c.value})` })),
  );
  if (failed.length === 0) return null;
  const list = failed.map((f) => f.text).join('; ');
  return (
    <p className="attack-checks-alert" role="alert" data-attack-checks-alert>
      {failed.every((f) => f.id === 'gap')
        ? `✗ PGD overstates robustness: its numbers and the live curves are inflated, cite APGD's — ${list}`
        : `✗ Attack check failed, robust numbers may be inflated — ${list}`}
    </p>
  );
}
