// Measures text as an element draws it (its computed font), so that a chart's margins follow its
// labels: in presentation mode the type is larger and a fixed margin clips "25%" to "5%".

let context: CanvasRenderingContext2D | null | undefined;

/** The widest of `texts` in CSS pixels, in the font `el` computes to; 0 where nothing can be measured. */
export function widestText(texts: string[], el: Element): number {
  if (context === undefined) context = document.createElement('canvas').getContext('2d');
  if (!context || texts.length === 0) return 0;
  const st = getComputedStyle(el);
  context.font = `${st.fontStyle} ${st.fontWeight} ${st.fontSize} ${st.fontFamily}`;
  return Math.max(...texts.map((t) => context!.measureText(t).width));
}
