import { readFileSync } from 'node:fs';
import path from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { PYTORCH_SOURCES } from '../../core/export/pytorchProject';
import { PRESETS } from '../../core/presets';
import { pytorchProjectZip } from './pytorchProjectZip';

describe("the page's PyTorch export", () => {
  it('zips the spec, the dataset facts and the Python sources of pytorch/ under one folder', () => {
    const paper = PRESETS.find((p) => p.exportOnly)!.spec;
    const files = unzipSync(pytorchProjectZip(paper, 'paper'));
    expect(Object.keys(files).sort()).toEqual(
      ['paper/spec.json', 'paper/dataset.json', ...PYTORCH_SOURCES.map((f) => `paper/${f}`)].sort(),
    );
    expect(JSON.parse(strFromU8(files['paper/spec.json']))).toEqual(paper);
    expect(JSON.parse(strFromU8(files['paper/dataset.json']))).toMatchObject({
      name: 'cifar10',
      shape: [32, 32, 3],
      numClasses: 10,
      bounded: true,
    });
    for (const name of PYTORCH_SOURCES.filter((f) => f.endsWith('.py'))) {
      expect(strFromU8(files[`paper/${name}`])).toBe(readFileSync(path.join('pytorch', name), 'utf8'));
    }
    expect(strFromU8(files['paper/README.md'])).toMatch(
      /^# Duality Lab experiment: preact-resnet18 on cifar10, 100 epochs[\s\S]*## Scaling out/,
    );
  });
});
