// A peer: what a tfjs user would write instead of the lab (stock tfjs layers, jax-js), timed on the
// same model, batch and backend as the lab's own Trainer.step() in the same bench run.
// A peer is platform-neutral: it runs in Node (tfjs wasm / cpu) and in the bench page's worker.

/** The lab's step methods a peer may express: SGD, SAM (rho 0.05), AT with PGD-5 L-inf (eps 8/255, step 2/255). */
export type PeerMethod = 'sgd' | 'sam' | 'at-pgd5';

/** PreAct ResNet-10 (the lab's `preact-resnet10`), 32x32x3 inputs, 10 classes. */
export interface PeerCase {
  width: number;
  batch: number;
  seed: number;
}

export interface PeerStepper {
  /** One full training step on a fixed random batch, awaited until its loss is read back. */
  step(): Promise<void>;
  dispose(): void;
}

export interface Peer {
  /** e.g. 'tfjs-layers', 'jax-js'. */
  name: string;
  /**
   * A stepper for `method` on the backend the caller has already selected (`backend` names it:
   * 'wasm' | 'cpu' | 'webgl' | 'webgpu'), or a sentence saying why this peer cannot run it there
   * (the bench prints it).
   */
  create(c: PeerCase, method: PeerMethod, backend: string): Promise<PeerStepper | string>;
}
