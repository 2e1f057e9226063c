// Builds a page with the project's own Vite config (so the wasm binaries and the worker bundling
// are the user's) into a temporary folder and serves it with `vite preview`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, preview } from 'vite';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export interface Served {
  url: string;
  outDir: string;
  close(): Promise<void>;
}

/** `input`: an HTML entry relative to the repository root ('index.html' is the lab itself). */
export async function buildAndServe(input: string): Promise<Served> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'duality-lab-bench-'));
  await build({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, rollupOptions: { input: path.join(ROOT, input) } },
  });
  const server = await preview({
    root: ROOT,
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 4190, strictPort: false },
  });
  const base = server.resolvedUrls?.local[0];
  if (!base) throw new Error('vite preview did not report its address');
  return {
    url: new URL(input, base).href,
    outDir,
    async close() {
      await server.close();
      fs.rmSync(outDir, { recursive: true, force: true });
    },
  };
}
