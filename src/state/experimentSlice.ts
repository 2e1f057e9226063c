// The experiment being edited. The draft may hold invalid values while the user types; `issues`
// is always validateSpec's verdict on it, so the form shows each reason next to its field and
// nothing can start until the list is empty.
import { PRESETS, type Preset } from '../core/presets';
import {
  METHODS,
  RUN_DEFAULTS,
  validateSpec,
  type ExperimentSpec,
  type Method,
  type RunSpec,
  type SpecIssue,
} from '../core/spec';
import type { SliceCreator } from './sliceTypes';

export interface ExperimentSlice {
  spec: ExperimentSpec;
  issues: SpecIssue[];
  presetId: string | undefined;
  setSpec(spec: ExperimentSpec, presetId?: string): void;
  /** Edits a copy of the draft and re-validates it. */
  updateSpec(edit: (draft: ExperimentSpec) => void): void;
  loadPreset(id: string): void;
  addRun(method: Method): void;
  removeRun(id: string): void;
  /** Changes a run's method, keeping its id and label and taking the new method's defaults. */
  setRunMethod(id: string, method: Method): void;
}

export function issuesOf(spec: ExperimentSpec): SpecIssue[] {
  const checked = validateSpec(spec);
  return checked.ok ? [] : checked.issues;
}

/** The first run id of the form "<method><n>" not used yet. */
export function freshRunId(runs: RunSpec[], method: Method): string {
  const used = new Set(runs.map((r) => r.id));
  let n = 1;
  while (used.has(`${method}${n}`)) n++;
  return `${method}${n}`;
}

export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}

export const createExperimentSlice =
  (initial: ExperimentSpec, presetId?: string): SliceCreator<ExperimentSlice> =>
  (set, get) => ({
    spec: structuredClone(initial),
    issues: issuesOf(initial),
    presetId,
    setSpec(spec, id) {
      const copy = structuredClone(spec);
      set({ spec: copy, issues: issuesOf(copy), presetId: id });
    },
    updateSpec(edit) {
      const draft = structuredClone(get().spec);
      edit(draft);
      set({ spec: draft, issues: issuesOf(draft), presetId: undefined });
    },
    loadPreset(id) {
      const preset = findPreset(id);
      if (preset) get().setSpec(preset.spec, id);
    },
    addRun(method) {
      get().updateSpec((d) => {
        d.runs.push({ ...RUN_DEFAULTS[method], id: freshRunId(d.runs, method) } as RunSpec);
      });
    },
    removeRun(id) {
      get().updateSpec((d) => {
        d.runs = d.runs.filter((r) => r.id !== id);
      });
    },
    setRunMethod(id, method) {
      if (!METHODS.includes(method)) return;
      get().updateSpec((d) => {
        const i = d.runs.findIndex((r) => r.id === id);
        if (i < 0 || d.runs[i].method === method) return;
        const { label } = d.runs[i];
        d.runs[i] = { ...RUN_DEFAULTS[method], id, ...(label ? { label } : {}) } as RunSpec;
      });
    },
  });
