import { rename, rm } from 'node:fs/promises';
import type { MediaTool } from '../../media/media-tool.js';

/** Pure: ffmpeg arguments turning any audio file into 48 kHz stereo 16-bit WAV. */
export function wavNormalizeArgs(input: string, output: string): string[] {
  return ['-i', input, '-vn', '-ac', '2', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 'wav', output];
}

/**
 * Converts `input` to the narration format at destPath (through a temp name,
 * so a failed conversion never leaves a partial file) and returns its probed duration.
 */
export async function normalizeToWav(call: { media: MediaTool; input: string; destPath: string; signal?: AbortSignal }): Promise<{ durationSec: number }> {
  const tmp = `${call.destPath}.${process.pid}.${Date.now()}.part`;
  try {
    await call.media.run(wavNormalizeArgs(call.input, tmp), { signal: call.signal, timeoutMs: 60_000 });
    const probe = await call.media.probe(tmp, call.signal);
    if (!probe.hasAudio || !(probe.durationSec > 0)) throw new Error('narration audio is empty');
    await rename(tmp, call.destPath);
    return { durationSec: probe.durationSec };
  } finally {
    await rm(tmp, { force: true });
  }
}
