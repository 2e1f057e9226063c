// The page's Content-Security-Policy, one constant: sent by the preview server and written into the
// built page as a <meta> (a static host serves it too). Not on the dev server, whose client
// injects inline scripts. Everything comes from this origin; no inline script and no eval;
// 'wasm-unsafe-eval' compiles the tfjs wasm backend; blob: workers are the threaded wasm
// backend's pthreads, which load the backend's factory with importScripts from a blob: URL the
// backend makes itself (hence blob: in script-src too); inline styles are React's style attributes.
import type { Plugin } from 'vite';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** The <meta> in the built page (build only: preview runs as 'serve'), and the preview server's header. */
export function contentSecurityPolicy(): Plugin[] {
  return [
    {
      name: 'duality-lab:csp-meta',
      apply: 'build',
      transformIndexHtml: () => [
        {
          tag: 'meta',
          attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
          injectTo: 'head-prepend',
        },
      ],
    },
    {
      name: 'duality-lab:csp-header',
      configurePreviewServer(server) {
        server.middlewares.use((_req, res, next) => {
          res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
          next();
        });
      },
    },
  ];
}
