// The Fullscreen API, made safe to call: a browser may refuse (no user gesture, an iframe without
// permission, a headless browser), and the page then simply stays as it is.

export function isFullscreen(): boolean {
  return document.fullscreenElement !== null && document.fullscreenElement !== undefined;
}

export function setFullscreen(on: boolean): void {
  if (on === isFullscreen()) return;
  const request = on ? document.documentElement.requestFullscreen?.() : document.exitFullscreen?.();
  request?.catch(() => {
    // refused: nothing to undo
  });
}
