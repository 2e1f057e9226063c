// Server-side renders of the landscape views (Node has no DOM): the structure and the numbers
// they show, from results shaped as computeLandscape returns them, partial ones included.
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { LandscapeResult, SharpnessResult, WeightSlice2d } from '../../core/landscape/results';
import { LandscapePanel, type RunLandscape } from './LandscapePanel';

const measured = { batchSize: 8, estimate: { evals: 9, gradEvals: 0 }, evals: 9, gradEvals: 0, ms: 1500 };
const weight2d = (rows: number): WeightSlice2d => ({
  kind: 'weight-2d',
  alphas: [-1, 0, 1],
  betas: [-1, 0, 1],
  loss: [
    [2, 1, 2],
    [1, 0.5, 1],
    [2, 1, 2],
  ].slice(0, rows),
  acc: [],
  ...measured,
});
const sharp = (over: Partial<SharpnessResult>): SharpnessResult => ({
  kind: 'sharpness',
  loss: 0.5,
  samSharpness: 0.0123,
  rho: 0.05,
  hessianTop: 3.25,
  iterations: 7,
  relChange: 4e-4,
  tolerance: 1e-3,
  converged: true,
  ...measured,
  ...over,
});

const render = (runs: RunLandscape[]) => renderToStaticMarkup(createElement(LandscapePanel, { runs }));

describe('LandscapePanel', () => {
  it('shows a heatmap per run with a result (partial rows too) and a sharpness row per run', () => {
    const runs: RunLandscape[] = [
      { id: 'sgd', name: 'SGD', color: '#0072B2', results: [weight2d(3), sharp({})] },
      {
        id: 'sam',
        name: 'SAM',
        color: '#D55E00',
        results: [weight2d(1), sharp({ converged: false, relChange: 0.02, iterations: 20 })],
      },
      { id: 'at', name: 'AT', color: '#009E73', results: [] },
    ];
    const html = render(runs);
    expect(html).toContain('data-runs="2"');
    expect(html).toContain('data-rows="3"');
    expect(html).toContain('data-rows="1"');
    // One shared legend for the weight-space heatmaps.
    expect(html.match(/class="color-legend"/g)).toHaveLength(1);
    expect(html).toContain('<tr data-run="sgd">');
    expect(html).toContain('3.250');
    expect(html).toContain('0.0123 (0.05)');
    expect(html).toContain('(not converged)');
    expect(html).not.toContain('data-run="at"');
    // No input-space results: no input-space views.
    expect(html).not.toContain('Input space');
  });

  it('renders nothing but the section when no run has results', () => {
    const empty: LandscapeResult[] = [];
    expect(render([{ id: 'a', name: 'A', color: '#000', results: empty }])).toBe(
      '<section class="landscape" aria-label="loss landscapes"></section>',
    );
  });
});
