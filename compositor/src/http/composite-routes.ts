import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Router } from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import type { CompositeStore } from '../storage/composite-store.js';

export type ByteRange = { start: number; end: number } | 'unsatisfiable' | undefined;

/** One `bytes=` range (the only kind players send); undefined = serve the whole file. */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  let start: number;
  let end: number;
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0) return 'unsatisfiable';
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(m[1]);
    end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  }
  if (start >= size || start > end) return 'unsatisfiable';
  return { start, end };
}

export function compositeRoutes(store: CompositeStore): Router {
  const router = new Router();
  const serve = async (ctx: import('koa').Context) => {
    const path = store.pathOf(String(ctx.params.name ?? ''));
    const info = path ? await stat(path).catch(() => undefined) : undefined;
    if (!path || !info?.isFile()) throw new AppError('not_found', 'No composite with this name; it may have expired.');
    const etag = `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
    ctx.set('ETag', etag);
    ctx.set('Last-Modified', info.mtime.toUTCString());
    ctx.set('Accept-Ranges', 'bytes');
    ctx.set('Cache-Control', 'private, max-age=3600');
    ctx.type = 'video/mp4';
    if (ctx.get('if-none-match') === etag) {
      ctx.status = 304;
      return;
    }
    const ifRange = ctx.get('if-range');
    const range = ifRange && ifRange !== etag ? undefined : parseRange(ctx.get('range') || undefined, info.size);
    if (range === 'unsatisfiable') {
      throw new AppError('range_not_satisfiable', `The range is outside the file (${info.size} bytes).`, { headers: { 'Content-Range': `bytes */${info.size}` } });
    }
    const { start, end } = range ?? { start: 0, end: info.size - 1 };
    if (range) {
      ctx.status = 206;
      ctx.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
    } else ctx.status = 200;
    ctx.length = end - start + 1;
    if (ctx.method === 'HEAD') return;
    ctx.body = createReadStream(path, { start, end });
  };
  router.get('/composites/:name', serve);
  router.head('/composites/:name', serve);
  return router;
}
