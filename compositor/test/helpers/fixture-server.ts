import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES = resolve(fileURLToPath(new URL('../../../fixtures/', import.meta.url)));

/** Serves fixtures/ (and any extra directory) on 127.0.0.1 like the orchestrator serves sources. */
export async function startFixtureServer(extraDir?: string): Promise<{ origin: string; url: (path: string) => string; close: () => Promise<void>; hits: string[] }> {
  const hits: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    hits.push(path);
    if (path === '/slow') return void setTimeout(() => res.end('late'), 5000);
    if (path === '/redirect-away') {
      res.writeHead(302, { location: 'http://example.invalid/x.mp4' });
      return void res.end();
    }
    const base = path.startsWith('/extra/') && extraDir ? extraDir : FIXTURES;
    const file = join(base, path.replace(/^\/extra\//, '/'));
    if (!file.startsWith(base)) return void res.writeHead(403).end();
    let size: number;
    try {
      size = statSync(file).size;
    } catch {
      return void res.writeHead(404).end();
    }
    res.writeHead(200, { 'content-length': size });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    hits,
    url: (p: string) => `${origin}/${p.replace(/^\//, '')}`,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
