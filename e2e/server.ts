// Serves the built page (dist/, built by the test command before this suite) with `vite preview`,
// whose config plugin also serves datasets/ at /datasets/.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview } from 'vite';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function servePreview(): Promise<{ url: string; close(): Promise<void> }> {
  if (!fs.existsSync(path.join(root, 'dist/index.html'))) throw new Error('dist/ is missing: run `npx vite build` (npm test builds before e2e)');
  const server = await preview({ root, logLevel: 'warn', preview: { host: '127.0.0.1', port: 4179, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url, close: () => server.close() };
}
