// What classroom mode adds around the lab page: the view switch (lab / classroom), the presentation
// toggle, the page-wide keyboard shortcuts and their help overlay. Presentation mode is a class on
// the root element, so the whole stylesheet (type size, line widths, contrast) follows it.
import { useEffect, useRef } from 'react';
import type { PageView } from '../../state/classroomSlice';
import type { LabStore } from '../../state/labStore';
import type { RunController } from '../../state/runController';
import { selectActive } from '../../state/selectors';
import { useLab, useLabContext } from '../labContext';
import { SHORTCUTS, shortcutFor, trainPauseAction, type ShortcutAction } from '../shortcuts';
import { isFullscreen, setFullscreen } from './fullscreen';

const PRESENTATION_CLASS = 'presentation';

/** Switches the view; entering the classroom loads the lesson's current step unless runs are going. */
function showView(store: LabStore, view: PageView) {
  const s = store.getState();
  if (view === 'classroom') s.goToStep(s.lessonIndex, !selectActive(s));
  else s.setView(view);
}

function perform(action: ShortcutAction, store: LabStore, controller: RunController) {
  const s = store.getState();
  switch (action) {
    case 'train-pause': {
      const what = trainPauseAction({
        statuses: s.runOrder.map((id) => s.runs[id].status),
        canTrain: s.issues.length === 0,
      });
      if (what === 'pause') controller.pause();
      else if (what === 'resume') controller.resume();
      else if (what === 'train') controller.train();
      return;
    }
    case 'reset':
      controller.reset();
      return;
    case 'next-step':
    case 'prev-step': {
      // From the lab view the first key press only opens the classroom at its current step. While runs
      // go, only the highlighted step moves; its experiment loads when its button is pressed.
      const to = s.view !== 'classroom' ? s.lessonIndex : s.lessonIndex + (action === 'next-step' ? 1 : -1);
      s.goToStep(to, !selectActive(s));
      return;
    }
    case 'fullscreen':
      setFullscreen(!isFullscreen());
      return;
    case 'help':
      s.setHelpOpen(!s.helpOpen);
      return;
    case 'close':
      s.setHelpOpen(false);
  }
}

/** Page-wide keys, presentation class on the root; mounted once by App. */
export function ClassroomShell() {
  const { store, controller } = useLabContext();
  const presentation = useLab((s) => s.presentation);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const action = shortcutFor({
        key: e.key,
        ctrlKey: e.ctrlKey,
        metaKey: e.metaKey,
        altKey: e.altKey,
        repeat: e.repeat,
        target: e.target as HTMLElement | null,
      });
      if (!action) return;
      if (action === 'close' && !store.getState().helpOpen) return;
      e.preventDefault(); // Space would scroll the page
      perform(action, store, controller);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [store, controller]);

  useEffect(() => {
    document.documentElement.classList.toggle(PRESENTATION_CLASS, presentation);
  }, [presentation]);

  return <ShortcutHelp />;
}

/** The view switch and the presentation toggle, for the page header. */
export function ViewBar() {
  const { store } = useLabContext();
  const view = useLab((s) => s.view);
  const presentation = useLab((s) => s.presentation);
  const tab = (v: PageView, label: string) => (
    <button
      type="button"
      aria-pressed={view === v}
      className={view === v ? 'view-tab selected' : 'view-tab'}
      onClick={() => showView(store, v)}
    >
      {label}
    </button>
  );
  return (
    <nav className="view-bar" aria-label="views">
      {tab('lab', 'Lab')}
      {tab('classroom', 'Classroom')}
      <button
        type="button"
        aria-pressed={presentation}
        onClick={() => {
          const on = !presentation;
          store.getState().setPresentation(on);
          setFullscreen(on);
        }}
      >
        Presentation mode
      </button>
      <button type="button" onClick={() => store.getState().setHelpOpen(true)} aria-haspopup="dialog">
        Keyboard shortcuts (?)
      </button>
    </nav>
  );
}

function ShortcutHelp() {
  const { store } = useLabContext();
  const open = useLab((s) => s.helpOpen);
  const close = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    // Focus moves into the dialog and back to where it was when it closes.
    const before = document.activeElement as HTMLElement | null;
    close.current?.focus();
    return () => before?.focus?.();
  }, [open]);
  if (!open) return null;
  return (
    <div className="help-backdrop" onClick={() => store.getState().setHelpOpen(false)}>
      <div
        className="help"
        role="dialog"
        aria-modal="true"
        aria-labelledby="help-title"
        onClick={(e) => e.stopPropagation()}
        onKeyDown={(e) => {
          // Modal: Tab stays on the dialog's one control.
          if (e.key === 'Tab') {
            e.preventDefault();
            close.current?.focus();
          }
        }}
      >
        <h2 id="help-title">Keyboard shortcuts</h2>
        <table>
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.keys}>
                <th scope="row">
                  <kbd>{s.keys}</kbd>
                </th>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>They work everywhere on the page except while typing in a field.</p>
        <button type="button" ref={close} onClick={() => store.getState().setHelpOpen(false)}>
          Close
        </button>
      </div>
    </div>
  );
}
