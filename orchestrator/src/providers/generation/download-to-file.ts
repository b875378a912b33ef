import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import { AppError } from '../../../../shared/src/errors.js';

export interface DownloadLimits {
  maxBytes: number;
  timeoutMs: number;
  signal?: AbortSignal;
  fetch?: typeof fetch;
}

/**
 * Streams `url` into `destPath` with a size cap and an overall deadline. The
 * bytes land in a temp file renamed on success, so a failed download never
 * leaves a truncated clip at destPath. Failures are AppError('bad_gateway')
 * with a message that names the limit and how to raise it.
 */
export async function downloadToFile(url: string, destPath: string, limits: DownloadLimits): Promise<{ bytes: number }> {
  const parsed = new URL(url);
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new AppError('bad_gateway', `Provider output URL must be http(s), got "${parsed.protocol}".`);
  }
  const timeout = AbortSignal.timeout(limits.timeoutMs);
  const signal = limits.signal ? AbortSignal.any([limits.signal, timeout]) : timeout;
  const tmp = `${destPath}.download`;
  try {
    const res = await (limits.fetch ?? fetch)(parsed, { signal, redirect: 'follow' });
    if (!res.ok || !res.body) throw new AppError('bad_gateway', `Downloading provider output failed: HTTP ${res.status}.`);
    const declared = Number(res.headers.get('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > limits.maxBytes) {
      await res.body.cancel().catch(() => undefined);
      throw tooLarge(limits.maxBytes);
    }
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _enc, done) {
        bytes += chunk.length;
        if (bytes > limits.maxBytes) done(tooLarge(limits.maxBytes));
        else done(null, chunk);
      },
    });
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), counter, createWriteStream(tmp), { signal });
    await rename(tmp, destPath);
    return { bytes };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (timeout.aborted) {
      throw new AppError('bad_gateway', `Downloading provider output took longer than ${limits.timeoutMs} ms (raise PROVIDER_DOWNLOAD_TIMEOUT_MS).`);
    }
    if (limits.signal?.aborted) throw err;
    throw new AppError('bad_gateway', `Downloading provider output failed: ${(err as Error).message}`);
  } finally {
    await rm(tmp, { force: true });
  }
}

function tooLarge(maxBytes: number): AppError {
  return new AppError('bad_gateway', `Provider output is larger than the ${maxBytes}-byte download limit (raise PROVIDER_MAX_DOWNLOAD_BYTES).`);
}
