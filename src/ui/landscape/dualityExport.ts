// The duality grid as one figure, PNG or SVG: the same cells and numbers as the panel, laid out
// once and drawn twice (canvas for PNG; SVG with each cell as an embedded PNG, pixels kept sharp).
export interface GridCell {
  rgba: Uint8ClampedArray<ArrayBuffer>;
  width: number;
  height: number;
  /** Lines under the cell. */
  lines: string[];
}

export interface GridFigure {
  title: string;
  headers: string[];
  /** rows[i][j]: the cell of image i in column j. */
  rows: GridCell[][];
}

const CELL = 96;
const PAD = 12;
const LINE = 14;
const HEADER = 36;

function layout(f: GridFigure) {
  const lines = Math.max(0, ...f.rows.flat().map((c) => c.lines.length));
  const cols = f.headers.length;
  const colW = CELL + 2 * PAD + 60;
  const rowH = CELL + PAD + lines * LINE + PAD;
  return {
    colW,
    rowH,
    width: cols * colW + PAD,
    height: HEADER + f.rows.length * rowH + PAD,
    at: (i: number, j: number) => ({ x: PAD + j * colW, y: HEADER + i * rowH }),
  };
}

function cellCanvas(c: GridCell): HTMLCanvasElement {
  const canvas = document.createElement('canvas');
  canvas.width = c.width;
  canvas.height = c.height;
  canvas.getContext('2d')?.putImageData(new ImageData(c.rgba, c.width, c.height), 0, 0);
  return canvas;
}

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function gridSvg(f: GridFigure): string {
  const L = layout(f);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${L.width}" height="${L.height}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${PAD}" y="14" font-size="12" font-weight="bold">${escape(f.title)}</text>`,
    ...f.headers.map((h, j) => `<text x="${PAD + j * L.colW}" y="${HEADER - 8}">${escape(h)}</text>`),
  ];
  f.rows.forEach((row, i) =>
    row.forEach((c, j) => {
      const { x, y } = L.at(i, j);
      parts.push(
        `<image x="${x}" y="${y}" width="${CELL}" height="${CELL}" style="image-rendering:pixelated" href="${cellCanvas(c).toDataURL('image/png')}"/>`,
      );
      c.lines.forEach((t, k) => parts.push(`<text x="${x}" y="${y + CELL + PAD + k * LINE}">${escape(t)}</text>`));
    }),
  );
  parts.push('</svg>');
  return `<?xml version="1.0" encoding="UTF-8"?>\n${parts.join('\n')}\n`;
}

export function gridPng(f: GridFigure, scale = 2): Promise<Blob> {
  const L = layout(f);
  const canvas = document.createElement('canvas');
  canvas.width = L.width * scale;
  canvas.height = L.height * scale;
  const ctx = canvas.getContext('2d');
  if (!ctx) return Promise.reject(new Error('no 2-D canvas'));
  ctx.scale(scale, scale);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, L.width, L.height);
  ctx.fillStyle = '#000';
  ctx.font = 'bold 12px sans-serif';
  ctx.fillText(f.title, PAD, 14);
  ctx.font = '11px sans-serif';
  f.headers.forEach((h, j) => ctx.fillText(h, PAD + j * L.colW, HEADER - 8));
  ctx.imageSmoothingEnabled = false;
  f.rows.forEach((row, i) =>
    row.forEach((c, j) => {
      const { x, y } = L.at(i, j);
      ctx.drawImage(cellCanvas(c), x, y, CELL, CELL);
      c.lines.forEach((t, k) => ctx.fillText(t, x, y + CELL + PAD + k * LINE));
    }),
  );
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the canvas gave no PNG'))), 'image/png'),
  );
}
