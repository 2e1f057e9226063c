// "What SAM's weight perturbation does to the input": per image, the pixel shift d that SAM's
// first-layer weight perturbation amounts to (core/duality), beside the PGD perturbation of the
// same image for the same model and for the AT model, on one diverging scale per row; a slider
// through the evaluations; cos(d, delta) and ||d|| over training for the SAM run; PNG/SVG export.
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import { meanOver } from '../../core/duality/dualityPoint';
import type { DualityResult } from '../../core/landscape/results';
import { runLabel } from '../../state/runLabel';
import { selectTrainedSpec } from '../../state/selectors';
import { downloadBlob } from '../export/download';
import { useLab, useLabDeferred } from '../labContext';
import { gridPng, gridSvg, type GridFigure } from './dualityExport';
import { EpochSlider } from './EpochSlider';
import { dualityPixelRows, imageCosine } from './dualityPixels';
import { dualityHistory, dualityRoles, type DualityStamp } from './landscapeViews';

const f2 = (v: number) => (Number.isFinite(v) ? v.toFixed(2) : '–');
const f3 = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const ZOOM = 3;

function PixelCanvas({
  rgba,
  width,
  height,
  label,
}: {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  label: string;
}) {
  const ref = useRef<HTMLCanvasElement>(null);
  // Each cell is drawn in a task of its own: a grid's sixteen canvases made and filled in one
  // effect pass took the page's main thread over 50 ms (2-D contexts are made on the first draw).
  useEffect(() => {
    const timer = setTimeout(() =>
      ref.current?.getContext('2d')?.putImageData(new ImageData(rgba, width, height), 0, 0),
    );
    return () => clearTimeout(timer);
  }, [rgba, width, height]);
  return (
    <canvas
      ref={ref}
      width={width}
      height={height}
      className="duality-cell"
      role="img"
      aria-label={label}
      style={{ width: width * ZOOM, height: height * ZOOM, imageRendering: 'pixelated' }}
    />
  );
}

/** The numbers under each column of image i. */
function cellLines(sam: DualityResult, at: DualityResult | undefined, i: number): string[][] {
  const im = sam.images[i];
  const per = sam.x.length / sam.images.length;
  const a = at?.images[i];
  return [
    [`class ${im.label}`],
    [`‖d‖₂ ${f2(im.dL2)}, ‖d‖∞ ${f2(im.dLinf)} /255`, `residual ${f3(im.relResidual)}`, `cos(d, δ) ${f3(im.cos)}`],
    [`‖δ‖₂ ${f2(im.deltaL2)}, ‖δ‖∞ ${f2(im.deltaLinf)} /255`],
    ...(at && a
      ? [
          [
            `‖δ‖₂ ${f2(a.deltaL2)}, ‖δ‖∞ ${f2(a.deltaLinf)} /255`,
            `cos(d, δ_AT) ${f3(imageCosine(sam.d, at.delta, per, i))}`,
          ],
        ]
      : []),
  ];
}

/** A small line chart of one number over training, the shown evaluation marked. */
function MiniChart({ title, points, at }: { title: string; points: { epoch: number; value: number }[]; at: number }) {
  const W = 240,
    H = 90,
    P = 24;
  const xs = points.map((p) => p.epoch);
  const vs = points.map((p) => p.value).filter(Number.isFinite);
  const [x0, x1] = [Math.min(...xs), Math.max(...xs)];
  const [v0, v1] = [Math.min(0, ...vs), Math.max(0, ...vs)];
  const sx = (e: number) => P + ((e - x0) / (x1 - x0 || 1)) * (W - 2 * P);
  const sy = (v: number) => H - P + 6 - ((v - v0) / (v1 - v0 || 1)) * (H - 2 * P);
  const path = points
    .filter((p) => Number.isFinite(p.value))
    .map((p) => `${sx(p.epoch).toFixed(1)},${sy(p.value).toFixed(1)}`)
    .join(' ');
  return (
    <figure
      className="chart duality-chart"
      data-testid="duality-chart"
      style={{ margin: 0 }}
      data-points={points.length}
    >
      <figcaption>{title}</figcaption>
      <svg width={W} height={H} role="img" aria-label={title}>
        <line x1={P} x2={W - P} y1={sy(0)} y2={sy(0)} stroke="#bbb" />
        <polyline points={path} fill="none" stroke="#b2182b" strokeWidth={2} />
        {points.map(
          (p, i) =>
            Number.isFinite(p.value) && (
              <circle
                key={i}
                cx={sx(p.epoch)}
                cy={sy(p.value)}
                r={p.epoch === at ? 4 : 2.5}
                fill={p.epoch === at ? '#000' : '#b2182b'}
              />
            ),
        )}
        <text x={2} y={sy(v1) + 4} fontSize={10}>
          {v1.toPrecision(2)}
        </text>
        <text x={2} y={sy(v0)} fontSize={10}>
          {v0.toPrecision(2)}
        </text>
        <text x={P} y={H - 2} fontSize={10}>
          epoch {x0.toFixed(1)}
        </text>
        <text x={W - P} y={H - 2} fontSize={10} textAnchor="end">
          {x1.toFixed(1)}
        </text>
      </svg>
    </figure>
  );
}

const Grid = memo(function Grid({ sam, at, headerKey }: { sam: DualityResult; at?: DualityResult; headerKey: string }) {
  const headers = headerKey.split('\n');
  // The pixels once per result shown: the panel renders again at every landscape message.
  const rows = useMemo(() => dualityPixelRows(sam, at), [sam, at]);
  const [h, w] = sam.shape;
  return (
    <div
      className="duality-grid"
      data-testid="duality-grid"
      style={{
        display: 'grid',
        gridTemplateColumns: `repeat(${headers.length}, max-content)`,
        gap: '6px 14px',
        fontSize: 12,
      }}
      data-images={rows.length}
    >
      {headers.map((t) => (
        <strong key={t} data-testid="duality-header">
          {t}
        </strong>
      ))}
      {rows.map((row, i) => {
        const lines = cellLines(sam, at, i);
        return [
          <div key={`${i}-x`}>
            <PixelCanvas rgba={row.image} width={w} height={h} label={`image ${i + 1}`} />
            <div>{lines[0][0]}</div>
          </div>,
          ...row.maps.map((rgba, j) => (
            <div key={`${i}-${j}`} className="duality-numbers" data-testid="duality-numbers">
              <PixelCanvas rgba={rgba} width={w} height={h} label={`${headers[j + 1]}, image ${i + 1}`} />
              {lines[j + 1].map((t) => (
                <div key={t}>{t}</div>
              ))}
            </div>
          )),
        ];
      })}
    </div>
  );
});

function figure(sam: DualityResult, at: DualityResult | undefined, headers: string[], title: string): GridFigure {
  const [h, w] = sam.shape;
  return {
    title,
    headers,
    rows: dualityPixelRows(sam, at).map((row, i) => {
      const lines = cellLines(sam, at, i);
      return [
        { rgba: row.image, width: w, height: h, lines: lines[0] },
        ...row.maps.map((rgba, j) => ({ rgba, width: w, height: h, lines: lines[j + 1] })),
      ];
    }),
  };
}

export function DualityPanel() {
  const spec = useLab(selectTrainedSpec);
  // Deferred, as every large view (state/messageBuffer.ts): landscape messages arrive at every evaluation.
  const all = useLabDeferred((s) => s.landscapes);
  const roles = useMemo(() => dualityRoles(spec?.runs ?? []), [spec]);
  const samHistory = useMemo(() => dualityHistory(all, roles.sam?.id), [all, roles]);
  const atHistory = useMemo(() => dualityHistory(all, roles.at?.id), [all, roles]);
  /** Index into samHistory; undefined follows the latest. */
  const [pinned, setPinned] = useState<number | undefined>(undefined);
  const trend = useMemo(
    () => ({
      cos: samHistory.map((s) => ({ epoch: s.epoch, value: meanOver(s.result.images, 'cos') })),
      norm: samHistory.map((s) => ({ epoch: s.epoch, value: meanOver(s.result.images, 'dL2') })),
    }),
    [samHistory],
  );
  if (!spec || !roles.sam || samHistory.length === 0) return null;
  const last = samHistory.length - 1;
  const k = pinned !== undefined && pinned <= last ? pinned : last;
  const shown: DualityStamp = samHistory[k];
  const atShown = roles.at
    ? ([...atHistory].reverse().find((s) => s.epoch <= shown.epoch + 1e-9) ?? atHistory[0])
    : undefined;
  const sam = shown.result;
  const samName = runLabel(roles.sam);
  const atk = (r: DualityResult) =>
    `${r.attack.norm === 'linf' ? 'L∞' : 'L2'} ${(r.attack.eps * 255).toFixed(1)}/255, ${r.attack.steps} steps`;
  const headers = [
    'image',
    `${samName}: implied d (ρ ${sam.rho})`,
    `PGD δ, same model (${atk(sam)})`,
    ...(atShown && roles.at ? [`${runLabel(roles.at)}: its δ (${atk(atShown.result)})`] : []),
  ];
  // Grid is memo'd: the same headers as one string, so a render with the same result draws nothing again.
  const headerKey = headers.join('\n');
  const title = `What SAM's weight perturbation does to the input — epoch ${shown.epoch.toFixed(2)}`;
  const save = async (kind: 'png' | 'svg') => {
    const fig = figure(sam, atShown?.result, headers, title);
    const name = `duality-grid-epoch-${shown.epoch.toFixed(2)}.${kind}`;
    downloadBlob(name, kind === 'svg' ? new Blob([gridSvg(fig)], { type: 'image/svg+xml' }) : await gridPng(fig));
  };
  return (
    <section
      className="duality-panel"
      aria-label="what SAM's weight perturbation does to the input"
      data-evaluations={samHistory.length}
    >
      <h4>What SAM&apos;s weight perturbation does to the input</h4>
      <p className="duality-text" style={{ maxWidth: '60em', fontSize: 13 }}>
        SAM moves the weights by e = ρ g/‖g‖; on the first layer, (W + E)x = W(x + d), so the first conv&apos;s share E
        of that move acts on each image like the pixel shift d shown here (the closest one, of least norm, where no
        shift matches it exactly: the residual says how much of E no input shift can express). If SAM is a hidden
        adversarial training, d should resemble the adversarial δ; the identity covers the first layer only, and SAM
        perturbs every later layer too, which no input shift of this kind accounts for.
      </p>
      <p style={{ fontSize: 12, color: '#555' }}>
        Colours: the mean over the colour channels, blue negative, red positive, one scale per row across the columns.
        First conv&apos;s share of the perturbation ‖E‖/ρ = {f3(sam.firstShare)}; mean over these images: residual{' '}
        {f3(meanOver(sam.images, 'relResidual'))}, cos(d, δ) {f3(meanOver(sam.images, 'cos'))}, ‖d‖₂{' '}
        {f2(meanOver(sam.images, 'dL2'))}/255.
      </p>
      {samHistory.length > 1 && (
        <EpochSlider
          className="duality-slider"
          label="evaluation at epoch"
          ariaLabel="duality view at evaluation"
          last={last}
          index={k}
          epoch={shown.epoch}
          latest={pinned === undefined}
          onPin={setPinned}
          announce
        />
      )}
      <Grid sam={sam} at={atShown?.result} headerKey={headerKey} />
      <div style={{ display: 'flex', gap: 8, margin: '8px 0' }}>
        <button type="button" className="small" onClick={() => void save('png')}>
          PNG
        </button>
        <button type="button" className="small" onClick={() => void save('svg')}>
          SVG
        </button>
      </div>
      {samHistory.length > 1 && (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 12 }}>
          <MiniChart title={`${samName}: mean cos(d, δ) over training`} points={trend.cos} at={shown.epoch} />
          <MiniChart title={`${samName}: mean ‖d‖₂ (/255) over training`} points={trend.norm} at={shown.epoch} />
        </div>
      )}
    </section>
  );
}
