// Sharpness numbers per run: SAM sharpness L(w + rho g/||g||) - L(w) at the stated rho, and the
// top Hessian eigenvalue by Lanczos with its uncertainty (the Ritz residual: an eigenvalue lies within
// it), the iterations used and the relative change at the stop (against its tolerance), so an
// unconverged estimate is visible as such.
import { memo } from 'react';
import type { SharpnessResult } from '../../core/landscape/results';
import type { RunSlice } from './runSlices';

const num = (v: number, digits = 4) =>
  !Number.isFinite(v) ? '–' : Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(digits) : v.toExponential(2);

export const SharpnessTable = memo(function SharpnessTable({ runs }: { runs: RunSlice<SharpnessResult>[] }) {
  const shown = runs.filter((r) => r.result);
  if (shown.length === 0) return null;
  return (
    <table className="sharpness-table" data-testid="sharpness-table" data-rows={shown.length}>
      <caption>Sharpness on the fixed landscape batch (eval mode)</caption>
      <thead>
        <tr>
          <th scope="col">run</th>
          <th scope="col">loss</th>
          <th scope="col" title="L(w + ρ g/‖g‖) − L(w)">
            SAM sharpness (ρ)
          </th>
          <th
            scope="col"
            title="top eigenvalue of the Hessian, Lanczos on finite-difference Hessian-vector products; ± the Ritz residual"
          >
            λ_max(H)
          </th>
          <th scope="col">iterations</th>
          <th scope="col" title="relative change of the estimate at the last iteration / stopping tolerance">
            rel. change / tol.
          </th>
          <th scope="col">time</th>
        </tr>
      </thead>
      <tbody>
        {shown.map((r) => {
          const s = r.result!;
          return (
            <tr key={r.id} data-run={r.id}>
              <th scope="row">
                <span
                  className="swatch"
                  style={{ background: r.color, width: 10, height: 10, display: 'inline-block', marginRight: 6 }}
                  aria-hidden
                />
                {r.name}
              </th>
              <td>{num(s.loss)}</td>
              <td>
                {num(s.samSharpness)} ({s.rho})
              </td>
              <td>
                {num(s.hessianTop, 3)}
                {s.hessianResidual !== undefined ? ` ± ${num(s.hessianResidual, 3)}` : ''}
              </td>
              <td>{s.iterations}</td>
              <td title={s.converged ? 'converged' : 'stopped at the iteration cap'}>
                {num(s.relChange, 5)} / {s.tolerance}
                {s.converged ? '' : ' (not converged)'}
              </td>
              <td>{(s.ms / 1000).toFixed(1)} s</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
});
