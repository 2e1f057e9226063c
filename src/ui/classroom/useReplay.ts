// The replay control's state: where the replay stands (a training step), whether it plays and how
// fast. A new recording opens at its end, the whole picture at once; Play from the end starts over.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { Recording } from '../../core/recording';
import { replayMsPerStep, replaySteps } from '../../state/replay';

export interface Replay {
  step: number;
  steps: number;
  playing: boolean;
  speed: number;
  play(): void;
  pause(): void;
  seek(step: number): void;
  setSpeed(speed: number): void;
}

export function useReplay(rec: Recording | undefined): Replay {
  const steps = rec ? replaySteps(rec) : 0;
  const [state, setState] = useState({ rec, step: steps, playing: false });
  const [speed, setSpeed] = useState(5);
  // A new recording opens at its end (state is reset during render, React's pattern for derived state).
  if (state.rec !== rec) setState({ rec, step: steps, playing: false });
  const speedRef = useRef(speed);
  speedRef.current = speed;

  useEffect(() => {
    if (!state.playing || !rec) return;
    const msPerStep = replayMsPerStep(rec);
    let last = performance.now();
    let frame = requestAnimationFrame(function tick(now) {
      const advance = ((now - last) * speedRef.current) / msPerStep;
      last = now;
      setState((s) => {
        const step = Math.min(steps, s.step + advance);
        return { ...s, step, playing: step < steps };
      });
      frame = requestAnimationFrame(tick);
    });
    return () => cancelAnimationFrame(frame);
  }, [state.playing, rec, steps]);

  const play = useCallback(
    () => setState((s) => ({ ...s, step: s.step >= steps ? 0 : s.step, playing: true })),
    [steps],
  );
  const pause = useCallback(() => setState((s) => ({ ...s, playing: false })), []);
  const seek = useCallback(
    (step: number) => setState((s) => ({ ...s, step: Math.max(0, Math.min(steps, step)), playing: false })),
    [steps],
  );
  return { step: state.step, steps, playing: state.playing, speed, play, pause, seek, setSpeed };
}
