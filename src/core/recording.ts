// A recorded run: the results of one lesson step or preset, trained once by the command line
// (`npm run record`) and committed under public/recorded/, so the classroom shows a picture at once
// and replays it. It says where it came from (what, when, on which backend, from which seed); the
// page never presents it as live.
import type { LandscapeResult } from './landscape/results';
import type { Results } from './train/results';

export const RECORDING_FORMAT = 1;

export interface RecordingOrigin {
  format: typeof RECORDING_FORMAT;
  /** What was recorded: `lesson:<step id>` or `preset:<preset id>`. */
  source: string;
  /** The day it was trained, YYYY-MM-DD (UTC). */
  recordedOn: string;
  /** The command that regenerates it. */
  command: string;
}

export interface Recording {
  recording: RecordingOrigin;
  /** The results format of the lab (README), with the spec as run: its seed and backend are the recording's. */
  results: Results;
  /** Each run's training loss after every step, in step order (the step-level curve the results format leaves out). */
  losses: Record<string, number[]>;
  /** The landscapes computed when training ended, per run, for specs whose landscape.when is 'end'. */
  landscapes: Record<string, LandscapeResult[]>;
}

/** The file of a recording under public/recorded/: `lesson:sam` is `lesson-sam.json`. */
export function recordingFile(source: string): string {
  return `${source.replace(':', '-')}.json`;
}
