// Classroom mode: which view the page shows, where the guided lesson stands, and the presentation
// settings. Moving through the lesson loads that step's experiment into the form; starting it is the
// run controller's job (the step's button, or Space).
import { lessonSteps, type LessonDataset, type LessonStep } from '../core/lesson';
import type { SliceCreator } from './sliceTypes';

export type PageView = 'lab' | 'classroom';

export interface ClassroomSlice {
  view: PageView;
  /** The lesson step shown (an index into lessonSteps(lessonDataset)). */
  lessonIndex: number;
  /** The lesson's variant: the shapes unless the teacher picks another one that was checked (offeredLessonDatasets). */
  lessonDataset: LessonDataset;
  /** Large type, thick lines, high contrast. */
  presentation: boolean;
  helpOpen: boolean;
  setView(view: PageView): void;
  setLessonDataset(dataset: LessonDataset): void;
  /**
   * Shows the classroom at step `index` (clamped to the lesson) and, unless `load` is false (runs are
   * going and the form is locked), loads that step's experiment.
   */
  goToStep(index: number, load?: boolean): LessonStep;
  setPresentation(on: boolean): void;
  setHelpOpen(open: boolean): void;
}

export const createClassroomSlice: SliceCreator<ClassroomSlice> = (set, get) => ({
  view: 'lab',
  lessonIndex: 0,
  lessonDataset: 'shapes',
  presentation: false,
  helpOpen: false,
  setView: (view) => set({ view }),
  setLessonDataset(lessonDataset) {
    // A lesson step already in the form moves to the new data; an edited spec is left alone.
    const { spec, lessonIndex } = get();
    const showing = JSON.stringify(spec) === JSON.stringify(lessonSteps(get().lessonDataset)[lessonIndex].spec);
    set({ lessonDataset });
    if (showing) get().setSpec(lessonSteps(lessonDataset)[lessonIndex].spec);
  },
  goToStep(index, load = true) {
    const steps = lessonSteps(get().lessonDataset);
    const lessonIndex = Math.max(0, Math.min(steps.length - 1, Math.floor(index)));
    set({ view: 'classroom', lessonIndex });
    if (load) get().setSpec(steps[lessonIndex].spec);
    return steps[lessonIndex];
  },
  setPresentation: (presentation) => set({ presentation }),
  setHelpOpen: (helpOpen) => set({ helpOpen }),
});
