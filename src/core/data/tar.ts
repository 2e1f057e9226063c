// A minimal reader of POSIX ustar / GNU tar archives: enough to take the members out of the
// official `cifar-10-binary.tar.gz` without a dependency. Regular files only; members are views
// into the archive's bytes (no copy).

const BLOCK = 512;

function field(bytes: Uint8Array, start: number, length: number): string {
  let end = start;
  while (end < start + length && bytes[end] !== 0) end++;
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(bytes[i]);
  return s;
}

function octal(bytes: Uint8Array, start: number, length: number, at: number): number {
  const s = field(bytes, start, length).trim();
  if (!/^[0-7]+$/.test(s)) throw new Error(`tar header at byte ${at} has a bad numeric field ${JSON.stringify(s)}`);
  return parseInt(s, 8);
}

/** Maps each regular file's path to its bytes. Throws on a bad header checksum or a cut member. */
export function readTar(bytes: Uint8Array): Map<string, Uint8Array> {
  const members = new Map<string, Uint8Array>();
  let at = 0;
  let longName: string | null = null;
  while (at + BLOCK <= bytes.length) {
    const header = bytes.subarray(at, at + BLOCK);
    if (header.every((b) => b === 0)) return members; // end-of-archive marker
    // Checksum: byte sum of the header with the checksum field read as spaces.
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    if (sum !== octal(header, 148, 8, at))
      throw new Error(`tar header at byte ${at} has a bad checksum: not a tar archive or corrupt`);
    const size = octal(header, 124, 12, at);
    const type = String.fromCharCode(header[156]);
    const prefix = field(header, 345, 155);
    const name = longName ?? (prefix ? `${prefix}/${field(header, 0, 100)}` : field(header, 0, 100));
    const start = at + BLOCK;
    if (start + size > bytes.length)
      throw new Error(`tar member ${name} is truncated: needs ${size} bytes, ${bytes.length - start} left`);
    const data = bytes.subarray(start, start + size);
    longName = null;
    if (type === 'L')
      longName = field(data, 0, data.length); // GNU long name of the next member
    else if (type === '0' || type === '\0') members.set(name.replace(/^\.\//, ''), data);
    at = start + Math.ceil(size / BLOCK) * BLOCK;
  }
  if (at !== bytes.length) throw new Error(`tar archive is truncated: ${bytes.length - at} stray bytes at byte ${at}`);
  return members;
}
