import { useBackend } from '/work/main/scripts/lib/nodeBackend';
import { loadSplit } from '/work/main/scripts/lib/loadSplit';
import { createTrainer } from '/work/main/src/core/train/trainer';
import { DEFAULT_SPEC } from '/work/main/src/core/spec';
await useBackend('wasm');
const spec = structuredClone(DEFAULT_SPEC);
const variant = process.argv[2] ?? 'shapes';
spec.eval.attacks = []; spec.eval.every = 100; spec.train.epochs = 3;
if (variant === 'bn') spec.model = { name: 'preact-resnet10', width: 8, depth: 1 };
spec.runs = [{ id: 'sgd', method: 'sgd' }, { id: 'sam02', method: 'sam', rho: 0.02 }, { id: 'sam05', method: 'sam', rho: 0.05 }, { id: 'sam1', method: 'sam', rho: 0.1 }];
const data = await loadSplit(spec);
for (const run of spec.runs) {
  const t = createTrainer(spec, run.id, data);
  const losses: string[] = [];
  let acc = 0;
  while (t.status === 'training') { const r = await t.step(); acc += r.acc; if (r.step % 31 === 0) { losses.push(`${r.loss.toFixed(3)}/${(acc/31).toFixed(2)}`); acc = 0; } }
  const p = await t.evaluate();
  console.log(run.id, losses.join(' '), 'test', p.cleanAcc);
  t.dispose();
}
