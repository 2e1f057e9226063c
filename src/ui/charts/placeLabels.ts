// Where each point's text label goes: beside its point (right, left, above, below, in that order of
// preference), inside the plot, clear of other labels and points where it can be. Greedy, in the
// given order, so the caller lists the labels that matter most first.

export interface LabelAnchor {
  x: number;
  y: number;
  text: string;
}

export interface PlacedLabel {
  /** Position of the text's anchor point (SVG text x, y with dominant-baseline middle). */
  x: number;
  y: number;
  anchor: 'start' | 'middle' | 'end';
}

interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface LabelOptions {
  /** Plot area the labels stay inside. */
  bounds: Box;
  /** Estimated width of one character and height of a line (px). */
  charWidth: number;
  lineHeight: number;
  /** Gap between a point's centre and its label. */
  gap: number;
}

const overlap = (a: Box, b: Box) =>
  Math.max(0, Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0)) * Math.max(0, Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0));

function boxOf(p: PlacedLabel, width: number, height: number): Box {
  const x0 = p.anchor === 'start' ? p.x : p.anchor === 'end' ? p.x - width : p.x - width / 2;
  return { x0, y0: p.y - height / 2, x1: x0 + width, y1: p.y + height / 2 };
}

export function placeLabels(anchors: LabelAnchor[], o: LabelOptions): PlacedLabel[] {
  const taken: Box[] = anchors.map((a) => ({
    x0: a.x - o.gap / 2,
    y0: a.y - o.gap / 2,
    x1: a.x + o.gap / 2,
    y1: a.y + o.gap / 2,
  }));
  return anchors.map((a) => {
    const w = a.text.length * o.charWidth;
    const h = o.lineHeight;
    const candidates: PlacedLabel[] = [
      { x: a.x + o.gap, y: a.y, anchor: 'start' },
      { x: a.x - o.gap, y: a.y, anchor: 'end' },
      { x: a.x, y: a.y - o.gap - h / 2, anchor: 'middle' },
      { x: a.x, y: a.y + o.gap + h / 2, anchor: 'middle' },
      { x: a.x + o.gap, y: a.y - h, anchor: 'start' },
      { x: a.x + o.gap, y: a.y + h, anchor: 'start' },
      { x: a.x - o.gap, y: a.y - h, anchor: 'end' },
      { x: a.x - o.gap, y: a.y + h, anchor: 'end' },
    ];
    const cost = (p: PlacedLabel) => {
      const b = boxOf(p, w, h);
      const outside =
        Math.max(0, o.bounds.x0 - b.x0) +
        Math.max(0, b.x1 - o.bounds.x1) +
        Math.max(0, o.bounds.y0 - b.y0) +
        Math.max(0, b.y1 - o.bounds.y1);
      return outside * 1000 + taken.reduce((s, t) => s + overlap(b, t), 0);
    };
    // The first candidate of least cost: beside the point when that is free. Each cost once, and a
    // free candidate ends the search (none before it was free): this runs at every chart update.
    let best = candidates[0];
    let least = Infinity;
    for (const c of candidates) {
      const k = cost(c);
      if (k < least) [best, least] = [c, k];
      if (k === 0) break;
    }
    taken.push(boxOf(best, w, h));
    return best;
  });
}
