/** Base narration pace at speechPace 1.0. */
export const BASE_WORDS_PER_MINUTE = 150;
export const MIN_PACE = 0.5;
export const MAX_PACE = 2.0;

export function clampPace(speechPace: number): number {
  if (!Number.isFinite(speechPace)) return 1;
  return Math.min(MAX_PACE, Math.max(MIN_PACE, speechPace));
}

/** 150 words per minute × speechPace (clamped to 0.5–2.0), per second. */
export function wordsPerSecond(speechPace: number): number {
  return (BASE_WORDS_PER_MINUTE * clampPace(speechPace)) / 60;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => /[\p{L}\p{N}]/u.test(w)).length;
}

/** Seconds `text` takes to speak at the pace; what caption timing relies on. */
export function estimateSpeechSec(text: string, speechPace: number): number {
  return countWords(text) / wordsPerSecond(speechPace);
}
