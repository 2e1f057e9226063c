import { describe, expect, it } from 'vitest';
import { placeLabels, type PlacedLabel } from './placeLabels';

const o = { bounds: { x0: 0, y0: 0, x1: 400, y1: 200 }, charWidth: 6, lineHeight: 12, gap: 8 };

const box = (p: PlacedLabel, text: string) => {
  const w = text.length * o.charWidth;
  const x0 = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - w : p.x - w / 2;
  return { x0, x1: x0 + w, y0: p.y - 6, y1: p.y + 6 };
};
const overlaps = (a: ReturnType<typeof box>, b: ReturnType<typeof box>) =>
  a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;

describe('placeLabels', () => {
  it('puts a lone label to the right of its point', () => {
    expect(placeLabels([{ x: 100, y: 100, text: 'SGD' }], o)).toEqual([{ x: 108, y: 100, anchor: 'start' }]);
  });

  it('keeps labels inside the plot: a point at the right edge is labelled on its left', () => {
    expect(placeLabels([{ x: 395, y: 100, text: 'SAM ρ=0.02' }], o)).toEqual([{ x: 387, y: 100, anchor: 'end' }]);
  });

  it('moves labels of bunched points apart', () => {
    const anchors = [
      { x: 200, y: 100, text: 'SGD' },
      { x: 203, y: 102, text: 'SAM ρ=0.02' },
      { x: 201, y: 97, text: 'AT L∞ 2/255' },
    ];
    const placed = placeLabels(anchors, o);
    const boxes = placed.map((p, i) => box(p, anchors[i].text));
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) expect(overlaps(boxes[i], boxes[j]), `${i} and ${j}`).toBe(false);
    // Each stays next to its point.
    placed.forEach((p, i) => expect(Math.hypot(p.x - anchors[i].x, p.y - anchors[i].y)).toBeLessThan(30));
  });
});
