// A webServer of the config: `tsx e2e/previewServer.ts preview|real PORT` serves the built page
// (dist/) with `vite preview` and the config's plugins (CSP, isolation headers). `preview` serves
// the suite's fixture datasets at /datasets/, prepared here into e2e/artifacts/fixture-datasets
// (git-ignored, rewritten at each start); `real` serves REAL_DATASETS. Either folder is served by the config's own middleware,
// registered before the config's.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { preview, type Plugin } from 'vite';
import { datasetsMiddleware } from '../scripts/vite/servedDatasets';
import { prepareFixtureDatasets } from './fixtureDatasets';
import { REAL_DATASETS } from './servers';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function datasetsFrom(dir: string): Plugin {
  const middleware = datasetsMiddleware(dir);
  return {
    name: 'duality-lab-e2e:datasets',
    enforce: 'pre',
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

const [name, port] = process.argv.slice(2);
if ((name !== 'preview' && name !== 'real') || !Number(port))
  throw new Error('usage: tsx e2e/previewServer.ts preview|real PORT');
if (!fs.existsSync(path.join(root, 'dist/index.html')))
  throw new Error('dist/ is missing: run `npm run build` (npm test builds before e2e)');

const datasets =
  name === 'preview' ? prepareFixtureDatasets(path.join(root, 'e2e', 'artifacts', 'fixture-datasets')) : REAL_DATASETS;
await preview({
  root,
  logLevel: 'warn',
  plugins: [datasetsFrom(datasets)],
  preview: { host: '127.0.0.1', port: Number(port), strictPort: true },
});
