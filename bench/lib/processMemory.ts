// Memory of this process's descendants (Chromium and its renderer, GPU and utility processes,
// started by playwright), read from /proc; zeros where there is no /proc.
//
// Proportional set size (PSS, /proc/<pid>/smaps_rollup), not resident set size: Chromium's
// processes map the same binary, fonts and shared memory, and a sum of their RSS counts each shared
// page once per process (here it read 1.4-2.2 GiB for a page whose processes share most of it).
// PSS charges a shared page 1/n to each of its n users, so the sum over the tree is what the tree
// holds. The renderer is the page with its dedicated workers (the runs): the "page" figure.
import fs from 'node:fs';

/** PSS in bytes of the whole tree, of its renderer processes (the page and its workers), and summed RSS for comparison. */
export interface TreeMemory {
  pssBytes: number;
  rendererPssBytes: number;
  rssBytes: number;
}

interface Proc {
  pid: number;
  ppid: number;
  rss: number;
}

function readProcs(): Proc[] {
  return fs
    .readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .flatMap((d) => {
      try {
        const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
        // Fields after the parenthesised name: state ppid ... rss is field 24 (1-based), in pages.
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return [{ pid: Number(d), ppid: Number(f[1]), rss: Number(f[21]) * 4096 }];
      } catch {
        return [];
      }
    });
}

/** The "Pss:" line of smaps_rollup, in bytes; 0 when the process is gone or unreadable. */
export function pssOf(smapsRollup: string): number {
  const m = /^Pss:\s+(\d+) kB/m.exec(smapsRollup);
  return m ? Number(m[1]) * 1024 : 0;
}

const read = (file: string) => {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};

export function treeMemory(root = process.pid): TreeMemory {
  const out: TreeMemory = { pssBytes: 0, rendererPssBytes: 0, rssBytes: 0 };
  let procs: Proc[];
  try {
    procs = readProcs();
  } catch {
    return out;
  }
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const rss = new Map(procs.map((p) => [p.pid, p.rss]));
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    const pss = pssOf(read(`/proc/${pid}/smaps_rollup`));
    out.pssBytes += pss;
    if (read(`/proc/${pid}/cmdline`).includes('--type=renderer')) out.rendererPssBytes += pss;
    out.rssBytes += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return out;
}

/** The largest of each figure over the samples taken. */
export function peakOf(a: TreeMemory, b: TreeMemory): TreeMemory {
  return {
    pssBytes: Math.max(a.pssBytes, b.pssBytes),
    rendererPssBytes: Math.max(a.rendererPssBytes, b.rendererPssBytes),
    rssBytes: Math.max(a.rssBytes, b.rssBytes),
  };
}
