import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../../shared/src/errors.js';
import type { Logger } from '../../../../shared/src/logger.js';
import type { MediaTool } from '../../media/media-tool.js';
import { normalizeToWav } from './audio-normalize.js';
import { buildEspeakArgs, cleanNarrationText, ESPEAK_TEXT_FILE, ESPEAK_WAV_FILE } from './espeak-args.js';
import { runEspeak } from './espeak-worker.js';
import { MAX_NARRATION_CHARS, type NarrationProvider, type NarrationRequest } from './types.js';

/** Offline narration with espeak-ng (WASM), normalised to 48 kHz stereo WAV with ffmpeg. */
export function createLocalNarration(deps: { media: MediaTool; logger: Logger; tempDir?: string }): NarrationProvider {
  return {
    name: 'local',
    premium: false,
    async checkAvailable(): Promise<void> {
      // Bundled and offline: nothing to reach.
    },
    async synthesize(req: NarrationRequest, destPath: string, signal?: AbortSignal): Promise<{ durationSec: number }> {
      const text = checkedText(req.text);
      const started = Date.now();
      const wav = await runEspeak({ args: buildEspeakArgs(req), text, textFile: ESPEAK_TEXT_FILE, wavFile: ESPEAK_WAV_FILE, signal });
      const dir = await mkdtemp(join(deps.tempDir ?? tmpdir(), 'narration-'));
      try {
        const raw = join(dir, 'espeak.wav');
        await writeFile(raw, wav);
        const result = await normalizeToWav({ media: deps.media, input: raw, destPath, signal });
        deps.logger.debug({ ms: Date.now() - started, durationSec: result.durationSec }, 'local narration synthesized');
        return result;
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}

export function checkedText(input: string): string {
  const text = cleanNarrationText(input);
  if (text === '') throw new AppError('invalid_request', 'Narration text is empty: provide a script.', { field: 'script' });
  if ([...text].length > MAX_NARRATION_CHARS) {
    throw new AppError('invalid_request', `Narration text is longer than ${MAX_NARRATION_CHARS} characters: shorten the script.`, { field: 'script' });
  }
  return text;
}
