// Resident memory of this process's descendants (Chromium and its renderer, GPU and utility
// processes, started by playwright), read from /proc; 0 where there is no /proc.
import fs from 'node:fs';

export function treeRssBytes(root = process.pid): number {
  let procs: { pid: number; ppid: number; rss: number }[];
  try {
    procs = fs
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
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  for (const p of procs) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p.pid]);
  const rss = new Map(procs.map((p) => [p.pid, p.rss]));
  let total = 0;
  const stack = [...(children.get(root) ?? [])];
  while (stack.length) {
    const pid = stack.pop()!;
    total += rss.get(pid) ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }
  return total;
}
