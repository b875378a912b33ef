import { clampPace, BASE_WORDS_PER_MINUTE } from '../script/speech-pace.js';

export const ESPEAK_TEXT_FILE = 'in.txt';
export const ESPEAK_WAV_FILE = 'out.wav';

/**
 * espeak-ng's -s is words per minute (its own default is 175); measured here it
 * speaks close to that rate, so our 150 × pace maps straight onto it and the
 * narration matches the pace the script writer and captions assume.
 */
export function espeakRate(speechPace: number): number {
  return Math.round(Math.min(450, Math.max(80, BASE_WORDS_PER_MINUTE * clampPace(speechPace))));
}

/** -p is 0–99 with 50 as normal; pitch is a 0.5–1.5 multiplier. */
export function espeakPitch(pitch: number): number {
  const p = Number.isFinite(pitch) ? Math.min(1.5, Math.max(0.5, pitch)) : 1;
  return Math.min(99, Math.max(0, Math.round(50 * p)));
}

/** Text is read from a file (-f) so nothing in it can be parsed as an option. */
export function buildEspeakArgs(req: { speechPace: number; pitch: number; voice?: string }): string[] {
  return ['-w', ESPEAK_WAV_FILE, '-f', ESPEAK_TEXT_FILE, '-s', String(espeakRate(req.speechPace)), '-p', String(espeakPitch(req.pitch)), '-v', req.voice ?? 'en-us'];
}

/** Control characters out, whitespace collapsed. */
export function cleanNarrationText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
}
