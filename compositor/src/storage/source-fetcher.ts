import { createWriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Why a source could not be used; the message goes into the job's error as is. */
export class SourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SourceError';
  }
}

export interface FetchLimits {
  allowedOrigins: string[];
  maxBytes: number;
  timeoutMs: number;
}

export function isAllowedUrl(url: string, allowedOrigins: string[]): boolean {
  if (!URL.canParse(url)) return false;
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  if (parsed.username || parsed.password) return false;
  return allowedOrigins.includes(parsed.origin);
}

/** Where the URL points, without its query (signed URLs carry secrets there). */
export function describeUrl(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}${new URL(url).pathname}` : 'an invalid URL';
}

const MAX_REDIRECTS = 3;

/**
 * Downloads one source to `dest`: allowed origins only (redirects included),
 * a byte cap enforced while streaming, one deadline for the whole transfer.
 */
export async function fetchSource({ url, dest, limits, signal }: { url: string; dest: string; limits: FetchLimits; signal?: AbortSignal }): Promise<number> {
  const deadline = AbortSignal.timeout(limits.timeoutMs);
  const combined = signal ? AbortSignal.any([signal, deadline]) : deadline;
  let current = url;
  try {
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!isAllowedUrl(current, limits.allowedOrigins)) throw new SourceError(`${describeUrl(current)} is not an allowed source origin.`);
      const res = await fetch(current, { redirect: 'manual', signal: combined });
      if (res.status >= 300 && res.status < 400 && res.headers.get('location')) {
        await res.body?.cancel();
        current = new URL(res.headers.get('location') as string, current).toString();
        continue;
      }
      if (!res.ok || !res.body) {
        await res.body?.cancel();
        throw new SourceError(`${describeUrl(url)} answered HTTP ${res.status}.`);
      }
      const declared = Number(res.headers.get('content-length'));
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        await res.body.cancel();
        throw new SourceError(`${describeUrl(url)} is ${declared} bytes; the limit is ${limits.maxBytes}.`);
      }
      let received = 0;
      const cap = new Transform({
        transform(chunk: Buffer, _enc, done) {
          received += chunk.length;
          if (received > limits.maxBytes) done(new SourceError(`${describeUrl(url)} is larger than the limit of ${limits.maxBytes} bytes.`));
          else done(null, chunk);
        },
      });
      await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), cap, createWriteStream(dest), { signal: combined });
      if (received === 0) throw new SourceError(`${describeUrl(url)} returned an empty body.`);
      return received;
    }
    throw new SourceError(`${describeUrl(url)} redirected more than ${MAX_REDIRECTS} times.`);
  } catch (err) {
    await rm(dest, { force: true });
    if (err instanceof SourceError) throw err;
    if (signal?.aborted) throw err;
    if (deadline.aborted) throw new SourceError(`${describeUrl(url)} did not finish downloading within ${limits.timeoutMs} ms.`);
    throw new SourceError(`${describeUrl(url)} could not be fetched (${(err as Error).message}).`);
  }
}
