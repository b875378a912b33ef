import type { CaptionCue } from '../bundles/bundle-types.js';

export const MAX_LINE_CHARS = 42;
export const MAX_LINES = 2;
/** A sentence end closes a cue once it holds this many code points; shorter ones join the next. */
const SENTENCE_BREAK_MIN = 15;
/** A comma, colon or semicolon closes a cue once it holds this many code points. */
const CLAUSE_BREAK_MIN = 30;
/** The shortest window captions are spread over, when the voice starts at the very end. */
const MIN_WINDOW_SEC = 1;

const len = (s: string): number => [...s].length;

/** Words of the script; a word longer than a line is cut into line-sized pieces. */
export function captionWords(script: string): string[] {
  const words = script
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/gu, ' ')
    .split(/\s+/u)
    .filter(Boolean);
  return words.flatMap((w) => {
    const chars = [...w];
    if (chars.length <= MAX_LINE_CHARS) return [w];
    const pieces: string[] = [];
    for (let i = 0; i < chars.length; i += MAX_LINE_CHARS) pieces.push(chars.slice(i, i + MAX_LINE_CHARS).join(''));
    return pieces;
  });
}

/** Greedy wrap into lines of at most MAX_LINE_CHARS; null when it needs more than MAX_LINES. */
export function wrapLines(words: string[]): string[] | null {
  const lines: string[] = [];
  for (const w of words) {
    const last = lines[lines.length - 1];
    if (last !== undefined && len(last) + 1 + len(w) <= MAX_LINE_CHARS) lines[lines.length - 1] = `${last} ${w}`;
    else lines.push(w);
    if (lines.length > MAX_LINES) return null;
  }
  return lines;
}

/** Splits a script into readable phrases: at sentence and clause ends, else where two lines are full. */
export function captionPhrases(script: string): string[] {
  const phrases: string[] = [];
  let current: string[] = [];
  const flush = () => {
    if (current.length) phrases.push(wrapLines(current)!.join('\n'));
    current = [];
  };
  for (const word of captionWords(script)) {
    if (current.length && wrapLines([...current, word]) === null) flush();
    current.push(word);
    const size = len(current.join(' '));
    if (/[.!?…]["'”’)\]]*$/u.test(word) && size >= SENTENCE_BREAK_MIN) flush();
    else if (/[,;:—–]["'”’)\]]*$/u.test(word) && size >= CLAUSE_BREAK_MIN) flush();
  }
  flush();
  return phrases;
}

/** How long a phrase takes to say, relative to the others: its letters, plus a pause at punctuation. */
function weight(phrase: string): number {
  const letters = len(phrase.replace(/\s+/gu, ''));
  const pause = /[.!?…]["'”’)\]]*$/u.test(phrase) ? 3 : /[,;:—–]["'”’)\]]*$/u.test(phrase) ? 1.5 : 0;
  return Math.max(1, letters) + pause;
}

export interface CueTiming {
  /** Length of the video. */
  durationSec: number;
  /** When the narration starts. */
  voiceStartSec: number;
  /** How long the narration speaks (measured, or estimated from the pace). */
  speechSec: number;
}

/** The window the cues are spread over: from the voice start for the narration's length, squeezed into the video. */
export function speechWindow(t: CueTiming): { start: number; end: number } {
  const duration = Math.max(0, t.durationSec);
  const minWindow = Math.min(MIN_WINDOW_SEC, duration);
  const start = Math.min(Math.max(0, t.voiceStartSec), Math.max(0, duration - minWindow));
  const speech = Number.isFinite(t.speechSec) && t.speechSec > 0 ? t.speechSec : duration - start;
  const end = Math.min(duration, start + Math.max(speech, minWindow));
  return { start, end };
}

/**
 * Timed caption cues: in order, not overlapping, inside [0, duration], each
 * at most two lines of 42 code points. Each cue's share of the window follows
 * its share of the letters; neighbours share their boundary exactly.
 */
export function buildCues(input: CueTiming & { script: string }): CaptionCue[] {
  const phrases = captionPhrases(input.script);
  if (!phrases.length || !(input.durationSec > 0)) return [];
  const { start, end } = speechWindow(input);
  const weights = phrases.map(weight);
  const total = weights.reduce((a, b) => a + b, 0);
  const exact: number[] = [start];
  let acc = 0;
  for (const w of weights) {
    acc += w;
    exact.push(start + ((end - start) * acc) / total);
  }
  exact[exact.length - 1] = end;
  const bounds = roundIncreasing(exact, end);
  return phrases.map((text, i) => ({ startSec: bounds[i]!, endSec: bounds[i + 1]!, text }));
}

/** Milliseconds when they keep every cue longer than zero, else microseconds; never past `max`. */
function roundIncreasing(values: number[], max: number): number[] {
  for (const factor of [1000, 1_000_000]) {
    const r = values.map((v) => Math.min(Math.round(v * factor) / factor, Math.floor(max * factor) / factor));
    if (r.every((v, i) => i === 0 || v > r[i - 1]!)) return r;
  }
  return values;
}
