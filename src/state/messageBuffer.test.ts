import { describe, expect, it } from 'vitest';
import { createMessageBuffer, type Timer } from './messageBuffer';

function manualTimer() {
  const pending = new Map<number, () => void>();
  let next = 0;
  const timer: Timer = {
    set: (cb) => (pending.set(++next, cb), next),
    clear: (h) => void pending.delete(h as number),
  };
  const fire = () => [...pending.values()].forEach((cb) => cb());
  return { timer, fire, count: () => pending.size };
}

describe('message buffer', () => {
  it('hands over everything pushed within one interval as one batch, with one timer', () => {
    const t = manualTimer();
    const batches: number[][] = [];
    const buf = createMessageBuffer<number>((b) => batches.push(b), 100, t.timer);
    for (let i = 0; i < 50; i++) buf.push(i);
    expect(t.count()).toBe(1);
    expect(batches).toHaveLength(0);
    t.fire();
    expect(batches).toEqual([Array.from({ length: 50 }, (_, i) => i)]);
    buf.push(99);
    t.fire();
    expect(batches).toEqual([batches[0], [99]]);
  });

  it('clear drops what is pending; flush hands it over at once', () => {
    const t = manualTimer();
    const batches: number[][] = [];
    const buf = createMessageBuffer<number>((b) => batches.push(b), 100, t.timer);
    buf.push(1);
    buf.clear();
    expect(t.count()).toBe(0);
    buf.push(2);
    buf.flush();
    expect(batches).toEqual([[2]]);
    expect(t.count()).toBe(0);
  });
});
