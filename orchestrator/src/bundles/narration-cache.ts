import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { OrchestratorContext } from '../orchestrator.js';
import { cleanNarrationText } from '../providers/narration/espeak-args.js';
import { createLocalNarration, createPremiumNarration, type NarrationProvider } from '../providers/narration/index.js';

export const NARRATION_FILE = /^[a-f0-9]{64}\.wav$/;

/** Where cached narration lives: DATA_DIR/media/narration. */
export function narrationDir(ctx: Pick<OrchestratorContext, 'storage'>): string {
  return join(ctx.storage.root, 'narration');
}

/**
 * The cache key: one file per (provider, text, pace, pitch). The text is keyed
 * as the narrator reads it (whitespace collapsed, control characters out), so
 * a script and its trimmed copy share one file.
 */
export function narrationHash(input: { provider: string; text: string; speechPace: number; pitch: number }): string {
  return createHash('sha256').update(JSON.stringify([input.provider, cleanNarrationText(input.text), input.speechPace, input.pitch])).digest('hex');
}

// Two requests for the same narration at once share one synthesis.
const inFlight = new Map<string, Promise<{ fileName: string; path: string; durationSec: number }>>();
// Measured lengths of cached files, so a cache hit needs no ffprobe.
const durations = new Map<string, number>();

function provider(ctx: OrchestratorContext, premium: boolean): NarrationProvider {
  const deps = { media: ctx.media, logger: ctx.logger, tempDir: join(ctx.storage.root, 'tmp') };
  return premium ? createPremiumNarration(ctx.config.premiumTts, deps) : createLocalNarration(deps);
}

/**
 * Synthesizes narration once per (text, pace, pitch, provider) into
 * DATA_DIR/media/narration/<sha256>.wav and returns the cached file after
 * that. The file is written under a temp name and renamed into place, so a
 * reader never sees half a WAV. premium=true uses the premium provider and
 * throws its 503 AppError when it is not configured or not reachable.
 */
export async function ensureNarration(input: {
  ctx: OrchestratorContext;
  text: string;
  speechPace: number;
  pitch: number;
  premium: boolean;
}): Promise<{ fileName: string; path: string; durationSec: number }> {
  const { ctx } = input;
  const narrator = provider(ctx, input.premium);
  const hash = narrationHash({ provider: narrator.name, text: input.text, speechPace: input.speechPace, pitch: input.pitch });
  const fileName = `${hash}.wav`;
  const dir = narrationDir(ctx);
  const path = join(dir, fileName);
  const key = `${dir}\u0000${fileName}`;

  const running = inFlight.get(key);
  if (running) return running;
  const job = (async () => {
    if (existsSync(path)) {
      const known = durations.get(key);
      if (known !== undefined) return { fileName, path, durationSec: known };
      const probe = await ctx.media.probe(path);
      if (probe.hasAudio && probe.durationSec > 0) {
        durations.set(key, probe.durationSec);
        return { fileName, path, durationSec: probe.durationSec };
      }
      await rm(path, { force: true }); // unreadable leftover: make it again
    }
    await mkdir(dir, { recursive: true });
    const tmp = join(dir, `.${hash}.${randomBytes(6).toString('hex')}.tmp.wav`);
    try {
      const { durationSec } = await narrator.synthesize({ text: input.text, speechPace: input.speechPace, pitch: input.pitch }, tmp);
      await rename(tmp, path);
      durations.set(key, durationSec);
      ctx.logger.debug({ fileName, durationSec, provider: narrator.name }, 'narration cached');
      return { fileName, path, durationSec };
    } finally {
      await rm(tmp, { force: true });
    }
  })();
  inFlight.set(key, job);
  try {
    return await job;
  } finally {
    inFlight.delete(key);
  }
}
