import { describe, expect, it } from 'vitest';
import { lessonSteps } from '../core/lesson';
import { createLabStore } from './labStore';

describe('classroom slice', () => {
  it('starts on the lab view and moves through the lesson, loading each step, clamped at both ends', () => {
    const store = createLabStore();
    expect(store.getState().view).toBe('lab');
    const steps = lessonSteps();
    store.getState().goToStep(2);
    let s = store.getState();
    expect(s.view).toBe('classroom');
    expect(s.lessonIndex).toBe(2);
    expect(s.spec).toEqual(steps[2].spec);
    expect(s.issues).toEqual([]);
    store.getState().goToStep(99);
    expect(store.getState().lessonIndex).toBe(steps.length - 1);
    store.getState().goToStep(-3);
    expect(store.getState().lessonIndex).toBe(0);
    // Without loading (runs going), only the highlighted step moves.
    store.getState().goToStep(4, false);
    s = store.getState();
    expect(s.lessonIndex).toBe(4);
    expect(s.spec).toEqual(steps[0].spec);
  });

  it('starts on the shapes whatever is prepared, and loads another variant when one is picked', () => {
    const store = createLabStore();
    expect(store.getState().goToStep(1).spec.dataset.name).toBe('shapes');
    store.getState().setLessonDataset('cifar10');
    expect(store.getState().goToStep(1).spec.dataset.name).toBe('cifar10');
    expect(store.getState().spec.dataset.name).toBe('cifar10');
  });

  it('moves a lesson step already in the form to the picked variant, but leaves an edited spec alone', () => {
    const store = createLabStore();
    store.getState().goToStep(3);
    store.getState().setLessonDataset('cifar10');
    expect(store.getState().spec).toEqual(lessonSteps('cifar10')[3].spec);

    const other = createLabStore();
    other.getState().goToStep(3);
    other.getState().updateSpec((d) => (d.train.lr = 0.01));
    other.getState().setLessonDataset('cifar10');
    expect(other.getState().spec.dataset.name).toBe('shapes');
    expect(other.getState().spec.train.lr).toBe(0.01);
  });
});
