// Loads the committed recordings (public/recorded/, `npm run record`) for the classroom: fetched
// once per page, read through parseRecording as untrusted input. A missing file is "not recorded"
// (a step added since the last `npm run record`), not an error.
import { recordingFile, type Recording } from '../core/recording';
import { parseRecording } from './recordedRun';

export type RecordingState =
  | { status: 'loading' }
  | { status: 'ready'; recording: Recording }
  | { status: 'missing' }
  | { status: 'error'; reason: string };

const cache = new Map<string, Promise<RecordingState>>();

export function recordingUrl(source: string): string {
  return `${import.meta.env?.BASE_URL ?? '/'}recorded/${recordingFile(source)}`;
}

async function fetchRecording(source: string): Promise<RecordingState> {
  let res: Response;
  try {
    res = await fetch(recordingUrl(source));
  } catch (e) {
    return { status: 'error', reason: `could not be fetched (${(e as Error).message})` };
  }
  if (res.status === 404) return { status: 'missing' };
  if (!res.ok) return { status: 'error', reason: `could not be fetched (HTTP ${res.status})` };
  let raw: unknown;
  try {
    raw = await res.json();
  } catch {
    return { status: 'error', reason: 'is not valid JSON' };
  }
  const parsed = parseRecording(raw);
  if (!parsed.ok) return { status: 'error', reason: parsed.reason };
  if (parsed.recording.recording.source !== source)
    return { status: 'error', reason: `records ${parsed.recording.recording.source}, not ${source}` };
  return { status: 'ready', recording: parsed.recording };
}

/** The recording of `source` (`lesson:<step id>`), fetched once per page. */
export function loadRecording(source: string): Promise<RecordingState> {
  let p = cache.get(source);
  if (!p) {
    p = fetchRecording(source);
    cache.set(source, p);
  }
  return p;
}
