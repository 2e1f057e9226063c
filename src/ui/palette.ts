// One colour per run everywhere (form, cards, charts), from the Okabe-Ito palette, which stays
// distinguishable under the common colour-vision deficiencies. Attacks are told apart by dash
// pattern and marker shape (svgChart's Marker), never by colour alone.
const OKABE_ITO = ['#0072B2', '#D55E00', '#009E73', '#E69F00', '#56B4E9', '#CC79A7', '#F0E442', '#000000'];

export const runColor = (index: number) => OKABE_ITO[index % OKABE_ITO.length];

const DASHES = ['', '6 3', '2 3', '8 3 2 3', '1 2'];
export const attackDash = (attackIndex: number | undefined) =>
  attackIndex === undefined ? '' : DASHES[(attackIndex + 1) % DASHES.length];
