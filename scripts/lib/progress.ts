// A one-line progress bar on stderr, redrawn in place with '\r' (no dependency), at most every
// 100 ms so that a fast loop does not flood a pipe.
export interface ProgressBar {
  update(done: number, text: string): void;
  /** Draws the final state and ends the line. */
  finish(text: string): void;
}

export function progressBar(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  width = 24,
): ProgressBar {
  let last = 0;
  let lastLength = 0;
  const draw = (done: number, text: string) => {
    const frac = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(frac * width);
    const line = `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.floor(frac * 100)).padStart(3)}% ${text}`;
    // Pad with spaces so a shorter line fully covers the previous one.
    stream.write(`\r${line.padEnd(lastLength)}`);
    lastLength = line.length;
  };
  return {
    update(done, text) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      draw(done, text);
    },
    finish(text) {
      draw(total, text);
      stream.write('\n');
    },
  };
}
