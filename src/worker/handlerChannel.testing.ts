// Test harness shared by the worker's Node tests: the run handler on one end of a real
// MessageChannel, the test on the other, with the messages it has received and a way to await one.
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { afterEach, beforeAll } from 'vitest';
import { useBackend } from '../../scripts/lib/nodeBackend';
import { attachRunHandler, type Endpoint, type HandlerDeps } from './handler';
import type { FromWorker } from './protocol';

type Of<T extends FromWorker['type']> = Extract<FromWorker, { type: T }>;

/**
 * For a test file of the run handler: the cpu backend before its tests, and every channel opened
 * by a test closed after it. Returns the opener of channels.
 */
export function useHandlerChannels(): (
  deps: HandlerDeps,
  options?: { grantTurns?: boolean },
) => ReturnType<typeof openHandlerChannel> {
  const ports: MessagePort[] = [];
  beforeAll(() => useBackend('cpu'));
  afterEach(() => {
    for (const p of ports.splice(0)) p.close();
  });
  return (deps, options) => openHandlerChannel(ports, deps, options);
}

/**
 * Opens a channel to a fresh handler; its ports are pushed onto `ports` to be closed.
 * The page's turns are granted at once and without end unless `grantTurns` is false.
 */
function openHandlerChannel(ports: MessagePort[], deps: HandlerDeps, { grantTurns = true } = {}) {
  const { port1, port2 } = new MessageChannel();
  ports.push(port1, port2);
  attachRunHandler(port1 as unknown as Endpoint, deps);
  port1.start();
  const received: FromWorker[] = [];
  const waiters: { test: (m: FromWorker) => boolean; resolve: (m: FromWorker) => void }[] = [];
  port2.on('message', (m: FromWorker) => {
    received.push(m);
    if (grantTurns && m.type === 'want-turn')
      port2.postMessage({ type: 'turn', runId: m.runId, steps: Number.MAX_SAFE_INTEGER });
    for (const w of waiters.filter((w) => w.test(m))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(m);
    }
  });
  /** The first message (already received or still to come) that passes `test`. */
  const waitFor = (test: (m: FromWorker) => boolean) =>
    new Promise<FromWorker>((resolve) => {
      const seen = received.find(test);
      if (seen) resolve(seen);
      else waiters.push({ test, resolve });
    });
  return {
    received,
    send: (m: unknown) => port2.postMessage(m),
    waitFor,
    /** The first message of `type` that passes `test`, typed as that message. */
    next: <T extends FromWorker['type']>(type: T, test: (m: Of<T>) => boolean = () => true) =>
      waitFor((m) => m.type === type && test(m as Of<T>)) as Promise<Of<T>>,
  };
}
