// Cancellation of a landscape computation, checked between points: an AbortSignal fits, as does
// any object whose `aborted` flag the caller sets (the worker sets one on a stop message).

export interface CancelSignal {
  readonly aborted: boolean;
}

export class LandscapeCancelled extends Error {
  constructor() {
    super('landscape computation cancelled');
    this.name = 'LandscapeCancelled';
  }
}

export function throwIfCancelled(signal: CancelSignal | undefined): void {
  if (signal?.aborted) throw new LandscapeCancelled();
}
