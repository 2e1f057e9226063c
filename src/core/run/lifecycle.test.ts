import { describe, expect, it } from 'vitest';
import {
  createLifecycleAnnouncements,
  isTraining,
  RUN_EVENTS,
  RUN_PHASES,
  transition,
  type LifecycleAnnouncement,
  type RunEvent,
  type RunPhase,
} from './lifecycle';

// Every move the worker and the page make, written out as the lives they describe.
const LEGAL: [RunPhase, RunEvent, RunPhase][] = [
  ['queued', 'start', 'training'],
  ['queued', 'open', 'ended'],
  ['queued', 'hold', 'held'],
  ['queued', 'stop', 'released'],
  ['queued', 'fail', 'failed'],
  ['held', 'unhold', 'queued'],
  ['held', 'stop', 'released'],
  ['held', 'fail', 'failed'],
  ['training', 'pause', 'pausing'],
  ['training', 'park', 'paused'],
  ['training', 'stop', 'stopping'],
  ['training', 'finish', 'ended'],
  ['training', 'release', 'released'],
  ['training', 'fail', 'failed'],
  ['pausing', 'park', 'paused'],
  ['pausing', 'resume', 'training'],
  ['pausing', 'stop', 'stopping'],
  ['pausing', 'finish', 'ended'],
  ['pausing', 'release', 'released'],
  ['pausing', 'fail', 'failed'],
  ['paused', 'resume', 'training'],
  ['paused', 'stop', 'stopping'],
  ['paused', 'release', 'released'],
  ['paused', 'fail', 'failed'],
  ['stopping', 'finish', 'ended'],
  ['stopping', 'release', 'released'],
  ['stopping', 'fail', 'failed'],
  ['ended', 'release', 'released'],
  ['ended', 'fail', 'failed'],
  ['released', 'requeue', 'queued'],
  ['released', 'fail', 'failed'],
  ['failed', 'requeue', 'queued'],
];

const walk = (from: RunPhase, events: RunEvent[]) =>
  events.reduce<RunPhase | undefined>((p, e) => p && transition(p, e), from);

describe('run lifecycle', () => {
  it('makes every legal move and refuses every other (phase, event) pair', () => {
    const legal = new Map(LEGAL.map(([p, e, to]) => [`${p} ${e}`, to]));
    for (const phase of RUN_PHASES)
      for (const event of RUN_EVENTS)
        expect(transition(phase, event), `${phase} --${event}-->`).toBe(legal.get(`${phase} ${event}`));
  });

  it('refuses a second start, a pause of a run not training, a resume of one not paused, and anything but a Restart after a failure', () => {
    for (const phase of RUN_PHASES.filter((p) => p !== 'queued')) expect(transition(phase, 'start')).toBeUndefined();
    for (const phase of ['queued', 'held', 'pausing', 'paused', 'stopping', 'ended', 'released', 'failed'] as const)
      expect(transition(phase, 'pause')).toBeUndefined();
    for (const phase of ['queued', 'held', 'training', 'stopping', 'ended'] as const)
      expect(transition(phase, 'resume')).toBeUndefined();
    expect(RUN_EVENTS.filter((e) => transition('failed', e) !== undefined)).toEqual(['requeue']);
  });

  it('every phase can fail, and every phase is reachable from queued', () => {
    for (const phase of RUN_PHASES.filter((p) => p !== 'failed')) expect(transition(phase, 'fail')).toBe('failed');
    const seen = new Set<RunPhase>(['queued']);
    for (let grew = true; grew;) {
      grew = false;
      for (const p of [...seen])
        for (const e of RUN_EVENTS) {
          const to = transition(p, e);
          if (!to || seen.has(to)) continue;
          seen.add(to);
          grew = true;
        }
    }
    expect([...seen].sort()).toEqual([...RUN_PHASES].sort());
  });

  it('follows the lives of a run: trained to the end, paused and resumed, stopped while paused, held, restarted', () => {
    expect(walk('queued', ['start', 'pause', 'park', 'resume', 'finish', 'release'])).toBe('released');
    expect(walk('queued', ['start', 'pause', 'park', 'stop', 'finish'])).toBe('ended');
    // A run paused while it still loads its data parks at its first checkpoint.
    expect(walk('queued', ['start', 'pause', 'resume', 'pause', 'park'])).toBe('paused');
    expect(walk('queued', ['hold', 'unhold', 'start'])).toBe('training');
    expect(walk('queued', ['hold', 'start'])).toBeUndefined();
    expect(walk('queued', ['start', 'fail', 'requeue', 'start'])).toBe('training');
    expect(walk('queued', ['start', 'finish', 'release', 'requeue'])).toBe('queued');
  });

  it('opens a run for a weights file without training: ended at once, never training, and trained again only through a Restart', () => {
    expect(walk('queued', ['open'])).toBe('ended');
    for (const event of ['start', 'pause', 'resume', 'stop', 'finish', 'open'] as const)
      expect(transition('ended', event), event).toBeUndefined();
    expect(walk('queued', ['hold', 'open'])).toBeUndefined();
    // A failed open (its worker died) is opened again in a new worker; an opened run restarted trains.
    expect(walk('queued', ['open', 'fail', 'requeue', 'open'])).toBe('ended');
    expect(walk('queued', ['open', 'release', 'requeue', 'start'])).toBe('training');
  });

  it('counts the started, unended phases as training', () => {
    expect(RUN_PHASES.filter(isTraining)).toEqual(['training', 'pausing', 'paused', 'stopping']);
  });

  it('announces to every listener until it unsubscribes', () => {
    const a = createLifecycleAnnouncements();
    const heard: LifecycleAnnouncement[] = [];
    const unlisten = a.listen((x) => heard.push(x));
    a.announce({ type: 'experimentStarted' });
    unlisten();
    a.announce({ type: 'runRestarted', runId: 'sam' });
    expect(heard).toEqual([{ type: 'experimentStarted' }]);
  });
});
