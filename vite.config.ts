import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from './scripts/vite/csp.ts';
import { servedDatasets } from './scripts/vite/servedDatasets.ts';

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
      for (const f of fs.readdirSync(from).filter((n) => n.endsWith('.wasm')))
        fs.copyFileSync(path.join(from, f), path.join(to, f));
    },
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
  plugins: [react(), tfjsWasmFiles(), servedDatasets(path.join(root, 'datasets')), ...contentSecurityPolicy()],
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
  server: {
    host: '127.0.0.1',
    port: 5173,
    strictPort: false,
    headers: ISOLATION_HEADERS,
    // The e2e suite writes screenshots and its report there while a case runs on this server: a
    // change there must not reload the page under test.
    watch: { ignored: ['**/e2e/artifacts/**', '**/bench/results/**'] },
  },
  preview: { host: '127.0.0.1', port: 4173, headers: ISOLATION_HEADERS },
});
