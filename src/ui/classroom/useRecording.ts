// The recording of a lesson step, once fetched and read (state/recordedRuns.ts); a recording of
// another spec than the step's (the lesson changed since `npm run record`) is refused, not shown.
import { useEffect, useState } from 'react';
import type { ExperimentSpec } from '../../core/spec';
import { recordsSpec } from '../../state/recordedRun';
import { loadRecording, type RecordingState } from '../../state/recordedRuns';

export function useRecording(source: string | undefined, spec: ExperimentSpec): RecordingState {
  const [state, setState] = useState<{ source?: string; value: RecordingState }>({ value: { status: 'missing' } });
  useEffect(() => {
    if (!source) return;
    let live = true;
    void loadRecording(source).then((value) => {
      if (live) setState({ source, value });
    });
    return () => {
      live = false;
    };
  }, [source]);
  if (!source) return { status: 'missing' };
  if (state.source !== source) return { status: 'loading' };
  const v = state.value;
  if (v.status === 'ready' && !recordsSpec(v.recording, spec))
    return { status: 'error', reason: 'was made from another version of this step: run npm run record' };
  return v;
}
