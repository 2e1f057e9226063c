// The page's keyboard shortcuts, as a pure map from a key event to an action (tested in Node).
// They work in the lab's normal view and in presentation mode, but never while the user types in a
// field, and Space never steals a focused button's own activation.

export type ShortcutAction = 'train-pause' | 'reset' | 'next-step' | 'prev-step' | 'fullscreen' | 'help' | 'close';

/** The parts of a KeyboardEvent the map reads. */
export interface KeyLike {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  repeat?: boolean;
  /** The focused element: its tag name and whether it is editable. */
  target?: { tagName?: string; isContentEditable?: boolean; type?: string } | null;
}

export const SHORTCUTS: { keys: string; action: ShortcutAction; what: string }[] = [
  { keys: 'Space', action: 'train-pause', what: 'train, pause or resume' },
  { keys: 'r', action: 'reset', what: 'reset: end and forget every run' },
  { keys: 'n', action: 'next-step', what: 'next lesson step' },
  { keys: 'p', action: 'prev-step', what: 'previous lesson step' },
  { keys: 'f', action: 'fullscreen', what: 'full screen on or off' },
  { keys: '?', action: 'help', what: 'show or hide this list' },
  { keys: 'Esc', action: 'close', what: 'close this list' },
];

const BY_KEY: Record<string, ShortcutAction> = {
  ' ': 'train-pause',
  r: 'reset',
  n: 'next-step',
  p: 'prev-step',
  f: 'fullscreen',
  '?': 'help',
  Escape: 'close',
};

/** Inputs that take the typed characters (checkboxes and buttons do not). */
const NON_TEXT_INPUTS = new Set(['button', 'checkbox', 'radio', 'range', 'reset', 'submit', 'color', 'file', 'image']);

function typingIn(target: KeyLike['target']): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  return tag === 'INPUT' && !NON_TEXT_INPUTS.has((target.type ?? 'text').toLowerCase());
}

/** Elements that Space activates by itself. */
function spaceActivates(target: KeyLike['target']): boolean {
  const tag = target?.tagName?.toUpperCase();
  return tag === 'BUTTON' || tag === 'A' || tag === 'SUMMARY' || tag === 'INPUT';
}

export function shortcutFor(e: KeyLike): ShortcutAction | undefined {
  if (e.ctrlKey || e.metaKey || e.altKey) return undefined; // leave the browser's own shortcuts alone
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  const action = BY_KEY[key];
  if (!action) return undefined;
  if (action === 'close') return action;
  if (e.repeat || typingIn(e.target)) return undefined;
  if (action === 'train-pause' && spaceActivates(e.target)) return undefined;
  return action;
}

/**
 * What Space does now, from the runs' statuses: pause while one trains; resume what is paused; hold
 * runs still queued or starting (the worker takes the pause before its first step); else train.
 */
export function trainPauseAction(runs: {
  statuses: readonly string[];
  canTrain: boolean;
}): 'pause' | 'resume' | 'train' | undefined {
  const has = (status: string) => runs.statuses.includes(status);
  if (has('training')) return 'pause';
  if (has('paused')) return 'resume';
  if (has('queued')) return 'pause';
  return runs.canTrain ? 'train' : undefined;
}
