import { describe, expect, it } from 'vitest';
import type { ToyExperiment } from '../core/toy/toyTrain';
import type { ClassroomReply, ClassroomRequest } from '../worker/classroomProtocol';
import { createClassroomController, DEBOUNCE_MS } from './classroomController';
import type { WorkerClient } from './workerClient';

class FakeClassroomWorker implements WorkerClient<ClassroomRequest, ClassroomReply> {
  sent: ClassroomRequest[] = [];
  terminated = false;
  private listeners: Record<string, ((e: never) => void)[]> = {};
  postMessage(m: ClassroomRequest) {
    this.sent.push(m);
  }
  addEventListener(type: string, l: (e: never) => void) {
    (this.listeners[type] ??= []).push(l);
  }
  terminate() {
    this.terminated = true;
  }
  reply(data: ClassroomReply) {
    for (const l of this.listeners.message ?? []) l({ data } as never);
  }
  crash(message: string) {
    for (const l of this.listeners.error ?? []) l({ message } as never);
  }
}

/** Timers the test fires by hand. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    set: (cb: () => void, ms: number) => (expect(ms).toBe(DEBOUNCE_MS), due.set(++next, cb), next),
    clear: (h: unknown) => void due.delete(h as number),
    fire() {
      const all = [...due.values()];
      due.clear();
      for (const f of all) f();
    },
  };
}

const experiment = (eps: number) => ({ eps }) as unknown as ToyExperiment;
const result = (id: number): ClassroomReply => ({ id, ok: true, result: { id } as never, ms: 5 });

describe('classroom controller', () => {
  it('debounces changes, keeps one request in flight and sends only the newest pending one', () => {
    const workers: FakeClassroomWorker[] = [];
    const timers = manualTimers();
    const c = createClassroomController(() => (workers.push(new FakeClassroomWorker()), workers.at(-1)!), timers);
    let heard = 0;
    c.subscribe(() => heard++);
    c.compare(experiment(1));
    c.compare(experiment(2));
    expect(workers).toHaveLength(0); // nothing before the changes pause
    timers.fire();
    expect(workers[0].sent.map((r) => r.experiment)).toEqual([experiment(2)]);
    for (const eps of [3, 4]) {
      c.compare(experiment(eps));
      timers.fire();
    }
    expect(workers[0].sent).toHaveLength(1); // 3 and 4 wait; 4 replaced 3
    workers[0].reply(result(1));
    expect(workers[0].sent.map((r) => r.experiment)).toEqual([experiment(2), experiment(4)]);
    expect(c.getState()).toMatchObject({ ms: 5, busy: true });
    workers[0].reply(result(3));
    expect(c.getState()).toMatchObject({ result: { id: 3 }, busy: false });
    expect(heard).toBeGreaterThan(0);
  });

  it('shows a failure; close ends the worker and the next comparison starts a new one', () => {
    const workers: FakeClassroomWorker[] = [];
    const timers = manualTimers();
    const c = createClassroomController(() => (workers.push(new FakeClassroomWorker()), workers.at(-1)!), timers);
    c.compare(experiment(1));
    timers.fire();
    workers[0].reply({ id: 1, ok: false, error: 'eps must be positive' });
    expect(c.getState()).toEqual({ error: 'eps must be positive', busy: false });
    workers[0].crash('out of memory');
    expect(c.getState()).toEqual({ error: 'out of memory', busy: false });
    c.compare(experiment(2));
    c.close();
    timers.fire();
    expect(workers[0].terminated).toBe(true);
    expect(workers).toHaveLength(1); // the debounced request went with the close
    c.compare(experiment(3));
    timers.fire();
    expect(workers).toHaveLength(2);
    expect(workers[1].sent.map((r) => r.experiment)).toEqual([experiment(3)]);
  });
});
