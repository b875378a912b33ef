import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../../shared/src/errors.js';
import type { Logger } from '../../../../shared/src/logger.js';
import type { MediaTool } from '../../media/media-tool.js';
import { normalizeToWav } from './audio-normalize.js';
import { checkedText } from './local-narration.js';
import type { NarrationProvider, NarrationRequest } from './types.js';

export interface PremiumNarrationOptions {
  /** Endpoint that takes POST {text, speechPace, pitch} and answers audio bytes. */
  url?: string;
  apiKey?: string;
  timeoutMs: number;
  /** Largest audio answer accepted; default 50 MB. */
  maxBytes?: number;
}

const NOT_CONFIGURED = 'Premium narration is not configured: set PREMIUM_TTS_URL (and PREMIUM_TTS_API_KEY if it needs one), or ask for local narration.';

/**
 * Optional HTTP text-to-speech. checkAvailable() is what lets callers answer
 * 503 before holding or charging credits.
 */
export function createPremiumNarration(opts: PremiumNarrationOptions, deps: { media: MediaTool; logger: Logger; tempDir?: string }): NarrationProvider {
  const headers = (extra: Record<string, string> = {}): Record<string, string> =>
    opts.apiKey ? { ...extra, authorization: `Bearer ${opts.apiKey}` } : extra;
  const maxBytes = opts.maxBytes ?? 50 * 1024 * 1024;

  const configuredUrl = (): string => {
    if (!opts.url) throw new AppError('not_configured', NOT_CONFIGURED);
    return opts.url.replace(/\/+$/, '');
  };

  return {
    name: 'premium',
    premium: true,

    async checkAvailable(signal?: AbortSignal): Promise<void> {
      const url = configuredUrl();
      const health = await reach({ url: `${url}/health`, init: { method: 'GET', headers: headers() }, timeoutMs: opts.timeoutMs, signal });
      if (health !== undefined && health >= 200 && health < 300) return;
      const head = await reach({ url, init: { method: 'HEAD', headers: headers() }, timeoutMs: opts.timeoutMs, signal });
      if (head !== undefined && head < 500) return;
      deps.logger.warn({ health, head }, 'premium narration unreachable');
      throw new AppError('unavailable', `Premium narration at ${url} is not reachable right now (no answer within ${opts.timeoutMs} ms); try again later or use local narration.`);
    },

    async synthesize(req: NarrationRequest, destPath: string, signal?: AbortSignal): Promise<{ durationSec: number }> {
      const url = configuredUrl();
      const text = checkedText(req.text);
      const timeout = AbortSignal.timeout(opts.timeoutMs);
      const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
      let bytes: Uint8Array;
      try {
        const res = await fetch(url, {
          method: 'POST',
          headers: headers({ 'content-type': 'application/json', accept: 'audio/*' }),
          body: JSON.stringify({ text, speechPace: req.speechPace, pitch: req.pitch }),
          signal: combined,
        });
        if (!res.ok) throw new AppError('bad_gateway', `Premium narration answered HTTP ${res.status}.`);
        const declared = Number(res.headers.get('content-length') ?? NaN);
        if (Number.isFinite(declared) && declared > maxBytes) throw new AppError('bad_gateway', `Premium narration audio exceeds ${maxBytes} bytes.`);
        bytes = new Uint8Array(await res.arrayBuffer());
        if (bytes.length > maxBytes) throw new AppError('bad_gateway', `Premium narration audio exceeds ${maxBytes} bytes.`);
        if (bytes.length === 0) throw new AppError('bad_gateway', 'Premium narration answered with no audio.');
      } catch (err) {
        if (err instanceof AppError) throw err;
        if (signal?.aborted) throw err;
        if (timeout.aborted) throw new AppError('unavailable', `Premium narration did not answer within ${opts.timeoutMs} ms.`);
        throw new AppError('unavailable', `Premium narration is not reachable: ${(err as Error).message}`);
      }
      const dir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'premium-narration-'));
      try {
        const raw = join(dir, 'premium.audio');
        await writeFile(raw, bytes);
        return await normalizeToWav({ media: deps.media, input: raw, destPath, signal }).catch((err: unknown) => {
          throw new AppError('bad_gateway', `Premium narration returned audio ffmpeg could not read: ${(err as Error).message.slice(0, 300)}`);
        });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

/** The HTTP status, or undefined when nothing answered within the timeout. */
async function reach(call: { url: string; init: RequestInit; timeoutMs: number; signal?: AbortSignal }): Promise<number | undefined> {
  const timeout = AbortSignal.timeout(call.timeoutMs);
  try {
    const res = await fetch(call.url, { ...call.init, signal: call.signal ? AbortSignal.any([call.signal, timeout]) : timeout });
    await res.body?.cancel().catch(() => undefined);
    return res.status;
  } catch (err) {
    if (call.signal?.aborted) throw err;
    return undefined;
  }
}
