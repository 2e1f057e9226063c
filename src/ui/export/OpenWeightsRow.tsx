// "Open weights": an ended run takes the weights of a .safetensors file of the same model (the lab's
// export, or the PyTorch project's out/weights/<run>.safetensors) in its worker (a run shown from
// saved or imported results gets one that builds its model without training); the worker evaluates
// them at once, and "Slice now" then measures them (landscapes, sharpness).
import { useState, type ChangeEvent } from 'react';
import type { EvalScores } from '../../core/train/evaluate';
import { useLabContext } from '../labContext';

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function describeScores(scores: EvalScores): string {
  const robust = Object.entries(scores.robust).map(([key, acc]) => {
    const [norm, eps] = key.split(':');
    return `${norm} ${+(Number(eps) * 255).toFixed(2)}/255 ${pct(acc)}`;
  });
  return [`clean ${pct(scores.cleanAcc)}`, ...robust].join(', ');
}

export function OpenWeightsRow({ order, ended }: { order: string[]; ended: Record<string, boolean> }) {
  const { controller } = useLabContext();
  const [notes, setNotes] = useState<Record<string, { text: string; ok: boolean }>>({});
  const open = async (id: string, e: ChangeEvent<HTMLInputElement>) => {
    const input = e.currentTarget;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    setNotes((n) => ({ ...n, [id]: { text: `opening ${file.name}…`, ok: true } }));
    try {
      const { scores, metadata } = await controller.openWeights(id, await file.arrayBuffer());
      const origin = metadata.trained_with === 'pytorch' ? 'trained with PyTorch' : 'from the lab';
      const step = metadata.step ? `, step ${metadata.step}` : '';
      setNotes((n) => ({
        ...n,
        [id]: {
          text: `${file.name} (${origin}${step}): ${describeScores(scores)}. "Slice now" measures these weights.`,
          ok: true,
        },
      }));
    } catch (err) {
      setNotes((n) => ({
        ...n,
        [id]: { text: `${file.name} was not opened: ${err instanceof Error ? err.message : String(err)}`, ok: false },
      }));
    }
  };
  return (
    <div className="export-row open-weights">
      Open weights (.safetensors of the same model, e.g. from the PyTorch project):{' '}
      {order.map((id) => (
        <label key={id} className="export-item">
          {id}{' '}
          <input
            type="file"
            accept=".safetensors"
            aria-label={`open weights for ${id}`}
            disabled={!ended[id]}
            title={ended[id] ? undefined : 'weights open into an ended run'}
            onChange={(e) => void open(id, e)}
          />
        </label>
      ))}
      {order
        .filter((id) => notes[id])
        .map((id) => (
          <p key={id} className={notes[id].ok ? 'opened-weights' : 'issue'} role={notes[id].ok ? 'status' : 'alert'}>
            {id}: {notes[id].text}
          </p>
        ))}
    </div>
  );
}
