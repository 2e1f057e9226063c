import { useBackend } from '/work/main/scripts/lib/nodeBackend';
import { timeMethod, profileStep } from '/work/main/bench/lib/measure';
for (const b of ['wasm','cpu'] as const) {
  await useBackend(b);
  for (const m of ['sgd','sam','at-pgd1'] as const) {
    const t = await timeMethod({ model: 'preact-resnet10', width: 16, batch: 64 }, m, { warmup: 1, steps: 3, budgetMs: 1, minSteps: 3 });
    console.log(b, m, JSON.stringify(t));
  }
  console.log(JSON.stringify(await profileStep({ model: 'preact-resnet10', width: 16, batch: 64 }, 'sgd')));
}
