import { defineConfig, type Plugin, type Connect } from 'vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));

/**
 * The tfjs wasm binaries, copied into public/wasm/ (git-ignored) so the dev server serves them and
 * the build ships them; the worker points setWasmPaths at /wasm/ of this origin.
 */
function tfjsWasmFiles(): Plugin {
  return {
    name: 'duality-lab:tfjs-wasm',
    buildStart() {
      const from = path.join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist');
      const to = path.join(root, 'public/wasm');
      fs.mkdirSync(to, { recursive: true });
      for (const f of fs.readdirSync(from).filter((n) => n.endsWith('.wasm'))) fs.copyFileSync(path.join(from, f), path.join(to, f));
    },
  };
}

/**
 * Serves the prepared datasets (`npm run datasets` writes them to datasets/) at /datasets/ in dev and
 * preview. They are never bundled: they are large, and the page fetches only what a spec needs.
 */
function servedDatasets(): Plugin {
  const dir = path.join(root, 'datasets');
  const middleware: Connect.NextHandleFunction = (req, res, next) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith('/datasets/')) return next();
    const file = path.join(dir, decodeURIComponent(url.pathname.slice('/datasets/'.length)));
    if (!file.startsWith(dir + path.sep) || !fs.existsSync(file) || !fs.statSync(file).isFile()) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    const type = file.endsWith('.json') ? 'application/json' : 'application/octet-stream';
    res.setHeader('Content-Type', type);
    res.setHeader('Content-Length', fs.statSync(file).size);
    res.setHeader('Cache-Control', 'no-cache');
    fs.createReadStream(file).pipe(res);
  };
  return {
    name: 'duality-lab:datasets',
    configureServer: (server) => void server.middlewares.use(middleware),
    configurePreviewServer: (server) => void server.middlewares.use(middleware),
  };
}

/**
 * Cross-origin isolation: SharedArrayBuffer, and with it tfjs's threaded wasm build (every core for
 * the CPU backends), exists only in a page served with these two headers. A static host must send
 * them too (README, "Hosting").
 */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The page never calls a remote host: every asset (wasm binaries, datasets) is served from this origin.
export default defineConfig({
  plugins: [react(), tfjsWasmFiles(), servedDatasets()],
  worker: {
    format: 'es',
    // tfjs's threaded wasm build starts its threads from the *source text* of a factory function
    // (Function.prototype.toString). The minifier's compression rewrites `typeof x !== "undefined"`
    // of a variable from the enclosing scope into a plain reference, which throws in the thread
    // ("e is not defined"): names are mangled, the code is not rewritten.
    rolldownOptions: { output: { minify: { compress: false, mangle: true } } },
  },
  // The run worker imports tfjs, which the dev server's dependency scan does not reach from
  // index.html: found late, it re-optimised and reloaded the page under the user's first Train.
  optimizeDeps: {
    entries: ['index.html', 'src/worker/*Worker.ts'],
    include: ['@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
  },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false, headers: ISOLATION_HEADERS },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION_HEADERS },
});
