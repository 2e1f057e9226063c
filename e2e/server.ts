// Serves the built page (dist/, built by the test command before this suite) with `vite preview`.
// The config's plugin serves the repo's datasets/ at /datasets/; with `datasets`, that folder is
// served there instead (the suite's fixtures), by a middleware that runs before the config's.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview, type Plugin } from 'vite';
import { datasetsMiddleware } from '../scripts/vite/servedDatasets';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** The fixture folder at /datasets/, by the same middleware as the config's, registered before it. */
function datasetsFrom(dir: string): Plugin {
  const middleware = datasetsMiddleware(dir);
  return { name: 'duality-lab-e2e:datasets', enforce: 'pre', configurePreviewServer: (server) => void server.middlewares.use(middleware) };
}

export async function servePreview(options: { datasets?: string } = {}): Promise<{ url: string; close(): Promise<void> }> {
  if (!fs.existsSync(path.join(root, 'dist/index.html'))) throw new Error('dist/ is missing: run `npx vite build` (npm test builds before e2e)');
  const plugins = options.datasets ? [datasetsFrom(options.datasets)] : [];
  const server = await preview({ root, logLevel: 'warn', plugins, preview: { host: '127.0.0.1', port: 4179, strictPort: false } });
  const url = server.resolvedUrls?.local[0];
  if (!url) throw new Error('vite preview did not report its address');
  return { url, close: () => server.close() };
}
