import { createReadStream, existsSync, statSync } from 'node:fs';
import { extname, resolve, sep } from 'node:path';
import type { ApiApp } from './api-context.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/**
 * Serves the built web UI from `distDir` at `/`: files as they are, and index.html for any other
 * non-API GET (the React router's paths). Paths are resolved and must stay inside distDir.
 * Hidden from the OpenAPI document: these are not API routes.
 */
export function serveUi(app: ApiApp, distDir: string): void {
  const root = resolve(distDir);
  const index = resolve(root, 'index.html');
  app.get('/*', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    const path = decodeSafely(request.url.split('?')[0] ?? '/');
    if (path === null || path.startsWith('/api/')) return reply.callNotFound();
    const candidate = resolve(root, `.${path}`);
    const inside = candidate === root || candidate.startsWith(root + sep);
    const file = inside && existsSync(candidate) && statSync(candidate).isFile() ? candidate : index;
    if (!existsSync(file)) return reply.callNotFound();
    const immutable = file !== index && candidate.includes(`${sep}assets${sep}`);
    return reply
      .type(CONTENT_TYPES[extname(file)] ?? 'application/octet-stream')
      .header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache')
      .send(createReadStream(file));
  });
}

function decodeSafely(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}
