import { describe, expect, it } from 'vitest';
import { SHORTCUTS, shortcutFor, trainPauseAction } from './shortcuts';

const body = { tagName: 'BODY' };

describe('shortcutFor', () => {
  it('maps the documented keys to their actions', () => {
    expect(shortcutFor({ key: ' ', target: body })).toBe('train-pause');
    expect(shortcutFor({ key: 'r', target: body })).toBe('reset');
    expect(shortcutFor({ key: 'n', target: body })).toBe('next-step');
    expect(shortcutFor({ key: 'p', target: body })).toBe('prev-step');
    expect(shortcutFor({ key: 'f', target: body })).toBe('fullscreen');
    expect(shortcutFor({ key: '?', target: body })).toBe('help');
    expect(shortcutFor({ key: 'Escape', target: body })).toBe('close');
    expect(shortcutFor({ key: 'N', target: body }), 'caps lock or shift').toBe('next-step');
    expect(shortcutFor({ key: 'x', target: body })).toBeUndefined();
    expect(shortcutFor({ key: 'Enter', target: body })).toBeUndefined();
    // The help overlay lists every mapped action.
    expect(new Set(SHORTCUTS.map((s) => s.action)).size).toBe(SHORTCUTS.length);
  });

  it('leaves the browser shortcuts alone (Ctrl+R, Cmd+F, Alt+N)', () => {
    expect(shortcutFor({ key: 'r', ctrlKey: true, target: body })).toBeUndefined();
    expect(shortcutFor({ key: 'f', metaKey: true, target: body })).toBeUndefined();
    expect(shortcutFor({ key: 'n', altKey: true, target: body })).toBeUndefined();
  });

  it('does nothing while the user types in a field, except Escape', () => {
    for (const target of [
      { tagName: 'INPUT', type: 'text' },
      { tagName: 'INPUT' },
      { tagName: 'input', type: 'number' },
      { tagName: 'TEXTAREA' },
      { tagName: 'SELECT' },
      { tagName: 'DIV', isContentEditable: true },
    ]) {
      for (const key of [' ', 'r', 'n', 'p', 'f', '?'])
        expect(shortcutFor({ key, target }), `${key} in ${JSON.stringify(target)}`).toBeUndefined();
      expect(shortcutFor({ key: 'Escape', target })).toBe('close');
    }
    // A checkbox or a range slider takes no text: letters still act there.
    expect(shortcutFor({ key: 'n', target: { tagName: 'INPUT', type: 'checkbox' } })).toBe('next-step');
    expect(shortcutFor({ key: 'r', target: { tagName: 'INPUT', type: 'range' } })).toBe('reset');
  });

  it('lets Space activate a focused button or link instead of training', () => {
    expect(shortcutFor({ key: ' ', target: { tagName: 'BUTTON' } })).toBeUndefined();
    expect(shortcutFor({ key: ' ', target: { tagName: 'A' } })).toBeUndefined();
    expect(shortcutFor({ key: ' ', target: { tagName: 'INPUT', type: 'checkbox' } })).toBeUndefined();
    expect(shortcutFor({ key: 'n', target: { tagName: 'BUTTON' } })).toBe('next-step');
    expect(shortcutFor({ key: ' ', target: null })).toBe('train-pause');
  });

  it('ignores auto-repeat so a held key does not toggle train / pause over and over', () => {
    expect(shortcutFor({ key: ' ', repeat: true, target: body })).toBeUndefined();
    expect(shortcutFor({ key: 'n', repeat: true, target: body })).toBeUndefined();
  });
});

describe('trainPauseAction', () => {
  const at = (...statuses: string[]) => trainPauseAction({ statuses, canTrain: true });
  it('trains when nothing is going, pauses while training, resumes when paused', () => {
    expect(at()).toBe('train');
    expect(at('done', 'stopped', 'error')).toBe('train');
    expect(at('training', 'queued', 'queued')).toBe('pause');
    // After "pause all" the others wait queued (held): Space resumes, it does not pause again.
    expect(at('paused', 'queued', 'queued')).toBe('resume');
    expect(at('paused', 'training')).toBe('pause');
    // Just after Train, before a worker reports its first step.
    expect(at('queued', 'queued')).toBe('pause');
  });
  it('does nothing when the spec is invalid', () => {
    expect(trainPauseAction({ statuses: ['done'], canTrain: false })).toBeUndefined();
  });
});
