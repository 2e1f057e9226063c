// Serves the prepared datasets (`npm run datasets` writes them to datasets/) at /datasets/ in dev and
// preview. They are never bundled: they are large, and the page fetches only what a spec needs.
// A request is untrusted: its path is decoded (a malformed % escape is a 400), then resolved to
// the real file, symlinks followed, which must lie inside the real datasets/ folder.
import fs from 'node:fs';
import path from 'node:path';
import type { Connect, Plugin } from 'vite';

const PREFIX = '/datasets/';

export function datasetsMiddleware(dir: string): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(PREFIX)) return next();
    const answer = (status: number, text: string) => {
      res.statusCode = status;
      res.setHeader('Content-Type', 'text/plain');
      res.end(text);
    };
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(PREFIX.length));
    } catch {
      return answer(400, 'bad request: malformed escape in the path');
    }
    let file: string;
    let root: string;
    try {
      root = fs.realpathSync(dir);
      file = fs.realpathSync(path.join(root, relative));
    } catch {
      return answer(404, 'not found');
    }
    if (!file.startsWith(root + path.sep) || !fs.statSync(file).isFile()) return answer(404, 'not found');
    res.setHeader('Content-Type', file.endsWith('.json') ? 'application/json' : 'application/octet-stream');
    res.setHeader('Content-Length', fs.statSync(file).size);
    res.setHeader('Cache-Control', 'no-cache');
    fs.createReadStream(file)
      .on('error', () => res.destroy())
      .pipe(res);
  };
}

export function servedDatasets(dir: string): Plugin {
  const middleware = datasetsMiddleware(dir);
  return {
    name: 'duality-lab:datasets',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}
