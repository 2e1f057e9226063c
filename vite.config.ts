import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { contentSecurityPolicy } from './scripts/vite/csp';
import { servedDatasets } from './scripts/vite/servedDatasets';

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

// The page never calls a remote host: every asset (wasm binaries, datasets) is served from this origin.
export default defineConfig({
  plugins: [react(), tfjsWasmFiles(), servedDatasets(path.join(root, 'datasets')), ...contentSecurityPolicy()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
});
