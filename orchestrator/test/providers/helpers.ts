import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import type { Logger } from '../../../shared/src/logger.js';
import { resolveFfmpegPaths } from '../../src/media/ffmpeg-paths.js';
import { MediaTool } from '../../src/media/media-tool.js';
import { findDefaultFont } from '../../src/providers/generation/default-font.js';

export const silentLogger: Logger = pino({ level: process.env.LOG_LEVEL ?? 'silent' });

export function testMedia(): MediaTool {
  const { ffmpeg, ffprobe } = resolveFfmpegPaths({});
  return new MediaTool({ ffmpegPath: ffmpeg, ffprobePath: ffprobe, logger: silentLogger });
}

/** Any TTF on this machine: the repo's DejaVu first, then /usr/share/fonts. */
export function testFont(): string {
  const font = findDefaultFont(['/usr/share/fonts', join(process.cwd(), 'fixtures/fonts')]);
  if (!font) throw new Error('No TTF font found: install fonts-dejavu-core or add fixtures/fonts/DejaVuSans.ttf');
  return font;
}

export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), `${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

export async function waitFor<T>(check: () => Promise<T | undefined>, opts: { timeoutMs: number; intervalMs?: number }): Promise<T> {
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${opts.timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
