import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The page never calls a remote host: every asset (wasm binaries, datasets) is served from this origin.
export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  build: { target: 'es2022', chunkSizeWarningLimit: 4000 },
  server: { host: '127.0.0.1', port: 5173, strictPort: false },
  preview: { host: '127.0.0.1', port: 4173 },
});
