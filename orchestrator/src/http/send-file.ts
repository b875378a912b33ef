import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname } from 'node:path';
import type { Context } from 'koa';
import { AppError } from '../../../shared/src/errors.js';

const CONTENT_TYPES: Record<string, string> = {
  '.mp4': 'video/mp4',
  '.m4a': 'audio/mp4',
  '.mov': 'video/quicktime',
  '.webm': 'video/webm',
  '.wav': 'audio/wav',
  '.mp3': 'audio/mpeg',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.json': 'application/json',
};

export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type RangeResult = { kind: 'full' } | { kind: 'partial'; start: number; end: number } | { kind: 'unsatisfiable' };

/**
 * Pure: one `Range: bytes=…` header against a file size. Only single byte
 * ranges are served as 206; a malformed header or several ranges fall back to
 * the whole file, as RFC 9110 allows.
 */
export function parseRange(header: string | undefined, size: number): RangeResult {
  if (!header) return { kind: 'full' };
  const m = /^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(header);
  if (!m || (m[1] === '' && m[2] === '')) return { kind: 'full' };
  if (m[1] === '') {
    const suffix = Number(m[2]);
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' };
    return { kind: 'partial', start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || (m[2] !== '' && Number(m[2]) < start)) return { kind: 'unsatisfiable' };
  return { kind: 'partial', start, end };
}

/** Weak-free strong validator from size and mtime: changes whenever the file is replaced. */
export function etagOf(info: { size: number; mtimeMs: number }): string {
  return `"${info.size.toString(16)}-${Math.floor(info.mtimeMs).toString(16)}"`;
}

/**
 * Serves one file with content type, ETag, Last-Modified, Accept-Ranges,
 * conditional GET (304), single Range (206), 416 for an unsatisfiable range,
 * and HEAD without opening the file. `path` must already be trusted.
 */
export async function sendFile(ctx: Context, input: { path: string; contentType?: string; downloadName?: string; cacheControl?: string }): Promise<void> {
  const info = await stat(input.path).catch(() => null);
  if (!info || !info.isFile()) throw new AppError('not_found', 'The file is not available.');
  const etag = etagOf(info);
  ctx.set('Accept-Ranges', 'bytes');
  ctx.set('ETag', etag);
  ctx.set('Last-Modified', info.mtime.toUTCString());
  ctx.set('Cache-Control', input.cacheControl ?? 'private, max-age=0, must-revalidate');
  if (input.downloadName) ctx.set('Content-Disposition', `attachment; filename="${input.downloadName.replace(/[^\w.-]/g, '_')}"`);
  const type = input.contentType ?? contentTypeOf(input.path);

  const ifNoneMatch = ctx.get('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((t) => t.trim() === etag || t.trim() === '*')) {
    ctx.status = 304;
    return;
  }
  // If-Range with another validator means the client's partial copy is stale: send it all.
  const ifRange = ctx.get('if-range');
  const range = ifRange && ifRange !== etag ? ({ kind: 'full' } as const) : parseRange(ctx.get('range') || undefined, info.size);
  if (range.kind === 'unsatisfiable') {
    throw new AppError('range_not_satisfiable', `The range is outside the file; it has ${info.size} bytes (request bytes=0-${Math.max(0, info.size - 1)} or less).`, {
      headers: { 'Content-Range': `bytes */${info.size}` },
    });
  }
  const start = range.kind === 'partial' ? range.start : 0;
  const end = range.kind === 'partial' ? range.end : info.size - 1;
  ctx.status = range.kind === 'partial' ? 206 : 200;
  if (range.kind === 'partial') ctx.set('Content-Range', `bytes ${start}-${end}/${info.size}`);
  ctx.type = type;
  if (ctx.method === 'HEAD') {
    ctx.set('Content-Length', String(end - start + 1));
    return;
  }
  ctx.body = info.size === 0 ? Buffer.alloc(0) : createReadStream(input.path, { start, end });
  ctx.length = end - start + 1;
}
