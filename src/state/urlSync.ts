// Keeps the address bar's hash equal to the share link of the experiment being edited, as the user
// edits it. history.replaceState: an edit does not add a history entry (Back leaves the page, it
// does not step through every keystroke), and no hashchange event fires.
import type { LabStore } from './labStore';
import { shareLinkHash } from './shareLink';

/** The part of window the sync uses (a fake in tests). */
export interface UrlWindow {
  location: { hash: string; href: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
}

/** Writes the hash for the current spec after each change; returns the unsubscribe. */
export function syncHashWithSpec(store: LabStore, win: UrlWindow): () => void {
  const write = () => {
    const { hash } = shareLinkHash(store.getState().spec);
    if (win.location.hash === hash) return;
    const url = win.location.href.replace(/#.*$/, '') + hash;
    win.history.replaceState(win.history.state, '', url);
  };
  // An old "#spec=" link is rewritten in the compact form at once. Otherwise the hash is left as it
  // is until the spec is edited: a fresh page keeps a clean URL, a results link keeps its results.
  if (new URLSearchParams(win.location.hash.replace(/^#/, '')).has('spec')) write();
  return store.subscribe((s, prev) => {
    if (s.spec !== prev.spec) write();
  });
}
