// The exported PyTorch project, run for real with Debian's python3-torch (.ci/run installs it):
// the same logits and accuracies as the lab on the same weights and images, both ways, and
// torchrun with two gloo processes on the CPU against one process.
import * as tf from '@tensorflow/tfjs';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPytorchWeights } from '../src/core/export/pytorchWeightsImport';
import { modelSafetensors } from '../src/core/export/pytorchWeights';
import { readSafetensorsHeader, readSafetensorsTensor } from '../src/core/export/safetensors';
import { buildSplit } from '../src/core/data/split';
import { createModel } from '../src/core/model/createModel';
import { Rng } from '../src/core/rng';
import { validateSpec, type ExperimentSpec } from '../src/core/spec';
import { evaluateModel } from '../src/core/train/evaluate';
import type { Results } from '../src/core/train/results';
import { createTrainer } from '../src/core/train/trainer';
import { parseResultsText } from '../src/core/train/resultsFile';
import { encodeShareHash } from '../src/state/shareUrl';
import { exportPytorch } from './lib/exportPytorch';
import { exportSplit } from './lib/exportSplit';
import { useBackend } from './lib/nodeBackend';

const PYTHON = process.env.DUALITY_PYTHON ?? '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy'], { encoding: 'utf8' });
const hasTorch = probe.status === 0;
if (!hasTorch)
  console.warn(
    `SKIPPED: the PyTorch project tests need ${PYTHON} with torch and numpy (apt-get install python3-torch; .ci/run installs it): ${(probe.stderr || String(probe.error)).trim().split('\n').at(-1)}`,
  );

const spec = (raw: unknown): ExperimentSpec => {
  const r = validateSpec(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.issues));
  return r.spec;
};
const EPS = 2 / 255;

/**
 * Trains in train.py: a tiny MLP (no BatchNorm, whose statistics are per replica under DDP, so 1 and
 * 2 processes compute the same step) that learns its 32 images within 12 steps.
 */
const TINY = spec({
  seed: 3,
  dataset: { name: 'shapes', trainSize: 32, testSize: 96 },
  model: { name: 'mlp', width: 32, depth: 1 },
  train: { epochs: 6, batchSize: 16, lr: 0.05, momentum: 0.9, schedule: 'piecewise' },
  // Every half epoch = every step: history[1] is the first step.
  eval: {
    subsetSize: 96,
    attacks: [{ norm: 'linf', eps: EPS }],
    pgdSteps: 2,
    every: 0.5,
    during: { subsetSize: 32, pgdSteps: 1 },
  },
  runs: [
    { id: 'sgd', method: 'sgd' },
    { id: 'sam0', method: 'sam', rho: 0 },
    { id: 'at0', method: 'at', norm: 'linf', eps: 0, stepSize: EPS / 4, steps: 2 },
    { id: 'sam', method: 'sam', rho: 0.05 },
  ],
});

/** Trained in the lab, evaluated in both: enough test images that one image is a third of a point. */
const CROSS = spec({
  seed: 5,
  dataset: { name: 'shapes', trainSize: 256, testSize: 300 },
  model: { name: 'cnn', width: 8, depth: 2 },
  train: { epochs: 1, batchSize: 32, lr: 0.05, schedule: 'constant' },
  eval: { subsetSize: 300, attacks: [{ norm: 'linf', eps: EPS }], pgdSteps: 10 },
  runs: [{ id: 'sgd', method: 'sgd' }],
});

let dir = '';
const at = (...p: string[]) => path.join(dir, ...p);

function python(args: string[], cwd = at('project')): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, args, { cwd, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(out)
        : reject(new Error(`${args.slice(0, 4).join(' ')} exited ${code}:\n${err.slice(-3000)}`)),
    );
  });
}

const readResults = (file: string): Results => {
  const parsed = parseResultsText(readFileSync(file, 'utf8'));
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.results;
};

/** A weights file's tensors by name (the file written by the script's own safetensors writer). */
function tensorsOf(file: string): Record<string, Float32Array> {
  const bytes = new Uint8Array(readFileSync(file));
  const header = readSafetensorsHeader(bytes);
  return Object.fromEntries(
    Object.keys(header.tensors).map((name) => [name, readSafetensorsTensor(bytes, header, name)]),
  );
}

describe('npm run lab -- export-pytorch and npm run datasets -- --export', () => {
  it('write the project of a share link and the split of a spec, into new or empty folders only', async () => {
    const tmp = mkdtempSync(path.join(os.tmpdir(), 'duality-export-'));
    try {
      const written = exportPytorch(`http://127.0.0.1:5173/${encodeShareHash(TINY)}`, path.join(tmp, 'p'));
      expect(written.map((f) => path.basename(f)).sort()).toEqual([
        'README.md',
        'data.py',
        'dataset.json',
        'methods.py',
        'models.py',
        'safetensors_io.py',
        'spec.json',
        'train.py',
      ]);
      expect(JSON.parse(readFileSync(path.join(tmp, 'p', 'spec.json'), 'utf8'))).toEqual(TINY);
      expect(() => exportPytorch(path.join(tmp, 'p', 'spec.json'), path.join(tmp, 'p'))).toThrow(/is not empty/);
      writeFileSync(path.join(tmp, 'tiny.json'), JSON.stringify(TINY));
      await exportSplit(path.join(tmp, 'tiny.json'), path.join(tmp, 'd'));
      // idx float32: magic 0x00000D04, dims [32, 32, 32, 3], then the lab's exact training values.
      const x = readFileSync(path.join(tmp, 'd', 'train-x.idx'));
      const { train } = buildSplit(TINY);
      expect([x.readUInt32BE(0), x.readUInt32BE(4), x.readUInt32BE(16)]).toEqual([0x0d04, 32, 3]);
      expect(x.readFloatBE(20 + 4 * 1000)).toBe(train.x[1000]);
      expect(readFileSync(path.join(tmp, 'd', 'train-y.idx')).subarray(8)).toEqual(Buffer.from(train.y));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

describe.skipIf(!hasTorch)('the exported PyTorch project', () => {
  beforeAll(async () => {
    await useBackend('wasm');
    dir = mkdtempSync(path.join(os.tmpdir(), 'duality-pytorch-'));
    for (const [name, s] of [
      ['tiny', TINY],
      ['cross', CROSS],
    ] as const) {
      writeFileSync(at(`${name}.json`), JSON.stringify(s));
      await exportSplit(at(`${name}.json`), at(`data-${name}`));
    }
    exportPytorch(at('tiny.json'), at('project'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('torchrun, 2 gloo processes: results the lab reads, a falling loss, SAM(rho 0) = AT(eps 0) = SGD, and the first step of 1 process', async () => {
    const common = [at('tiny.json'), '--data', at('data-tiny'), '--device', 'cpu'];
    // --redirects/--tee: Debian's torchrun (torch 1.13 on Python 3.11) cannot parse their default "0".
    const torchrun = [
      '-m',
      'torch.distributed.run',
      '--standalone',
      '--nproc_per_node=2',
      '--redirects',
      '2',
      '--tee',
      '2',
      'train.py',
    ];
    await Promise.all([
      python([...torchrun, ...common, '--out', at('out2')]),
      python(['train.py', ...common, '--runs', 'sgd,sam', '--out', at('out1')]),
    ]);
    const two = readResults(at('out2', 'results.json'));
    const one = readResults(at('out1', 'results.json'));
    expect(two.backend).toBe('pytorch');
    const run = (r: Results, id: string) => r.runs.find((x) => x.id === id)!;
    const sgd = run(two, 'sgd');
    expect(two.runs.map((r) => [r.id, r.status])).toEqual(TINY.runs.map((r) => [r.id, 'done']));
    expect(sgd.history.map((p) => p.step)).toEqual(Array.from({ length: 13 }, (_, i) => i));
    const losses = sgd.history.slice(1).map((p) => p.trainLoss);
    expect(Math.max(...losses.slice(-3))).toBeLessThan(0.5 * Math.min(...losses.slice(0, 3)));
    // rho = 0 and eps = 0 take SGD's steps exactly: the same history and the same weights.
    const sgdWeights = tensorsOf(at('out2', 'weights', 'sgd.safetensors'));
    for (const id of ['sam0', 'at0']) {
      expect(run(two, id).history).toEqual(sgd.history);
      expect(tensorsOf(at('out2', 'weights', `${id}.safetensors`))).toEqual(sgdWeights);
    }
    expect(run(two, 'sam').history[1].cleanLoss).not.toBe(sgd.history[1].cleanLoss);
    // The first step of 2 processes is the one of 1 process, SAM's global gradient norm included.
    for (const id of ['sgd', 'sam']) {
      const [a, b] = [run(one, id).history[1], run(two, id).history[1]];
      console.log(
        `${id}, first step, 1 vs 2 processes: |loss diff| ${Math.abs(a.trainLoss - b.trainLoss).toExponential(2)}, |clean loss diff| ${Math.abs(a.cleanLoss! - b.cleanLoss!).toExponential(2)}`,
      );
      expect(Math.abs(a.trainLoss - b.trainLoss)).toBeLessThan(1e-5);
      expect(Math.abs(a.cleanLoss! - b.cleanLoss!)).toBeLessThan(1e-5);
    }
  });

  it("opens the script's weights in the lab with the script's clean accuracy exactly", async () => {
    const results = readResults(at('out1', 'results.json'));
    const last = results.runs.find((r) => r.id === 'sgd')!.history.at(-1)!;
    const { test } = buildSplit(TINY);
    const model = createModel(TINY.model, test, new Rng(99).derive('init'));
    try {
      const loaded = loadPytorchWeights(model, readFileSync(at('out1', 'weights', 'sgd.safetensors')));
      expect(loaded).toMatchObject({ ok: true, metadata: { run: 'sgd', trained_with: 'pytorch' } });
      const scores = await evaluateModel(model, test, {
        attacks: [],
        pgdSteps: 1,
        pgdSchedule: TINY.eval.pgdSchedule,
        batchSize: 32,
        seed: TINY.seed,
      });
      expect(scores.cleanAcc).toBe(last.cleanAcc);
      expect(scores.cleanLoss).toBeCloseTo(last.cleanLoss!, 4);
    } finally {
      model.dispose();
    }
  });

  it("loads the lab's weights with the lab's logits, clean accuracy and PGD-10 accuracy", async () => {
    const split = buildSplit(CROSS);
    const trainer = createTrainer(CROSS, 'sgd', split);
    const x = tf.tensor(split.test.x, [split.test.n, ...split.test.shape]);
    try {
      while (trainer.status === 'training') await trainer.step();
      const labLogits = tf.tidy(() => trainer.model.forward(x, 'eval'));
      const lab = (await labLogits.data()) as Float32Array;
      labLogits.dispose();
      const scores = await evaluateModel(trainer.model, split.test, {
        attacks: CROSS.eval.attacks,
        pgdSteps: 10,
        pgdSchedule: CROSS.eval.pgdSchedule,
        batchSize: 100,
        seed: CROSS.seed,
      });
      writeFileSync(at('lab.safetensors'), await modelSafetensors(trainer.model));
      writeFileSync(at('cross-x.bin'), split.test.x);
      const code = [
        'import json, sys, numpy as np, torch',
        'from models import create_model',
        'from safetensors_io import load_weights',
        'spec, meta = json.load(open(sys.argv[1])), json.load(open("dataset.json"))',
        'model = create_model(spec["model"], meta["shape"], meta["numClasses"], meta["mean"], meta["std"])',
        'load_weights(model, sys.argv[2])',
        'x = torch.from_numpy(np.fromfile(sys.argv[3], dtype="<f4").reshape([-1] + meta["shape"])).permute(0, 3, 1, 2)',
        'print(json.dumps(model.eval()(x).flatten().tolist()))',
      ].join('\n');
      const maxLogitDiff = async (specFile: string, weights: string, labLogits: Float32Array) => {
        const torchLogits = JSON.parse(await python(['-c', code, specFile, weights, at('cross-x.bin')])) as number[];
        expect(torchLogits.length).toBe(labLogits.length);
        return Math.max(...torchLogits.map((v, i) => Math.abs(v - labLogits[i])));
      };
      const maxDiff = await maxLogitDiff(at('cross.json'), at('lab.safetensors'), lab);
      console.log(
        `lab -> PyTorch, cnn: max |logit difference| ${maxDiff.toExponential(2)} over ${split.test.n} images`,
      );
      expect(maxDiff).toBeLessThanOrEqual(1e-4);
      // The paper's model family too: a PreAct ResNet with BatchNorm running statistics away from their init.
      const resnetSpec = { ...CROSS, model: { name: 'preact-resnet10' as const, width: 4, depth: 1 } };
      const resnet = createModel(resnetSpec.model, split.test, new Rng(11).derive('init'));
      try {
        resnet.buffers.forEach((b, i) =>
          b.variable.assign(
            tf.fill(b.variable.shape, b.name.endsWith('var') ? 0.5 + 0.1 * (i % 7) : 0.05 * ((i % 5) - 2)),
          ),
        );
        const out = tf.tidy(() => resnet.forward(x, 'eval'));
        const resnetLogits = (await out.data()) as Float32Array;
        out.dispose();
        writeFileSync(at('resnet.json'), JSON.stringify(resnetSpec));
        writeFileSync(at('resnet.safetensors'), await modelSafetensors(resnet));
        const resnetDiff = await maxLogitDiff(at('resnet.json'), at('resnet.safetensors'), resnetLogits);
        console.log(`lab -> PyTorch, preact-resnet10: max |logit difference| ${resnetDiff.toExponential(2)}`);
        expect(resnetDiff).toBeLessThanOrEqual(1e-4);
      } finally {
        resnet.dispose();
      }
      const evaluated = JSON.parse(
        await python([
          'train.py',
          at('cross.json'),
          '--data',
          at('data-cross'),
          '--device',
          'cpu',
          '--evaluate',
          at('lab.safetensors'),
        ]),
      ) as {
        cleanAcc: number;
        robust: Record<string, number>;
      };
      const key = `linf:${EPS}`;
      console.log(
        `clean ${scores.cleanAcc} (lab) / ${evaluated.cleanAcc} (PyTorch); PGD-10 ${scores.robust[key]} / ${evaluated.robust[key]}`,
      );
      expect(evaluated.cleanAcc).toBe(scores.cleanAcc);
      expect(Math.abs(evaluated.robust[key] - scores.robust[key])).toBeLessThanOrEqual(0.01);
      // Not a degenerate model: some but not all examples survive the attack.
      expect(scores.robust[key]).toBeGreaterThan(0.05);
      expect(scores.robust[key]).toBeLessThan(scores.cleanAcc);
    } finally {
      x.dispose();
      trainer.dispose();
    }
  });
});
