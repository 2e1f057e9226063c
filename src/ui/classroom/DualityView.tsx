// The duality, with numbers: SAM's next weight perturbation e_w = rho g / ||g||_2, restricted to the
// first layer (E, e_b), moves the pre-activations exactly as the input perturbation d with W d = E x + e_b.
import type { SamStepDuality } from '../../core/toy/duality';

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2));
const dot = (a: Float64Array, b: Float64Array, offset = 0) => {
  let s = 0;
  for (let j = 0; j < b.length; j++) s += a[offset + j] * b[j];
  return s;
};

export function DualityView({ duality, eps }: { duality: SamStepDuality; eps: number }) {
  const { W, b, E, eb, x, d, rows, weightSide, inputSide, maxAbsError, dNorm2, dNormInf, rho } = duality;
  const shown = Math.min(rows, 3);
  return (
    <section aria-labelledby="duality-title">
      <h3 id="duality-title">The duality, numerically</h3>
      <p>
        A weight perturbation <var>E</var> of the first layer and an input perturbation <var>d</var> change the
        pre-activations alike: <code>(W + E) x = W (x + d)</code> whenever <code>W d = E x</code>. Below, <var>E</var>{' '}
        is the first-layer part of SAM's next step <code>e_w = ρ g / ‖g‖₂</code> (ρ = {rho}) at its trained weights, on
        training example 0, and <var>d</var> is the minimum-norm solution{' '}
        {rows === 1 ? <code>d = ((e·x + e_b) / ‖w‖²) w</code> : <code>d = Wᵀ(W Wᵀ)⁻¹(E x + e_b)</code>}.
      </p>
      <table className="duality">
        <thead>
          <tr>
            <th scope="col">unit</th>
            <th scope="col">W x + b</th>
            <th scope="col">(W + E) x + b + e_b</th>
            <th scope="col">W (x + d) + b</th>
          </tr>
        </thead>
        <tbody>
          {Array.from({ length: shown }, (_, r) => (
            <tr key={r}>
              <td>{r + 1}</td>
              <td>{fmt(dot(W, x, r * x.length) + b[r])}</td>
              <td>{fmt(weightSide[r])}</td>
              <td>{fmt(inputSide[r])}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows > shown && (
        <p>
          (first {shown} of {rows} hidden units shown)
        </p>
      )}
      <p>
        d = ({Array.from(d.subarray(0, 4), fmt).join(', ')}
        {d.length > 4 ? ', …' : ''})
      </p>
      <p>
        Largest gap between the two sides: <strong>{maxAbsError.toExponential(1)}</strong> (float rounding
        {maxAbsError > 1e-9 ? '; the layer is wider than its input here, so d is only the least-squares fit' : ''}). The
        input perturbation this SAM step amounts to has ‖d‖₂ = {fmt(dNorm2)} and ‖d‖∞ = {fmt(dNormInf)}, against AT's L∞
        radius ε = {eps}.
      </p>
      {rows === 1 && (
        <p>
          Here <code>e·x + e_b</code> = {fmt(dot(E, x) + eb[0])} and <code>‖w‖²</code> = {fmt(dot(W, W))}, so d is w
          scaled by {fmt((dot(E, x) + eb[0]) / dot(W, W))}: a shift along w, the direction an L2 adversary pushes in.
        </p>
      )}
    </section>
  );
}
