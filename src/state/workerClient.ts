// One way the page talks to a worker: every worker (a run, a backend probe, a dataset import, the
// classroom comparison) is a WorkerClient typed by the messages each way, made by workerFactory.ts
// in the page and by a fake in tests, and driven by one controller made in main.tsx.

export interface WorkerClient<Request, Reply> {
  /** `transfer`: buffers handed over rather than copied (the data split, a weights file). */
  postMessage(message: Request, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: Reply }) => void): void;
  /** The worker itself failed (a load error, an uncaught exception); preventDefault keeps it off the console. */
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault?(): void }) => void): void;
  terminate(): void;
}
