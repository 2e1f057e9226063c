// Where the system Chromium is (never downloaded): an explicit path, else $CHROMIUM_PATH, else
// Debian's /usr/bin/chromium. A missing one is refused at once with the command that installs it.
import fs from 'node:fs';

export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

export function chromiumExecutable(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const path = explicit ?? env.CHROMIUM_PATH ?? DEFAULT_CHROMIUM;
  if (!fs.existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install it with \`sudo apt-get install -y chromium\` (or set CHROMIUM_PATH${explicit ? ', or pass another --chromium' : ''})`,
    );
  }
  return path;
}
