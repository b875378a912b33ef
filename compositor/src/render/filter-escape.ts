/**
 * Escaping for values we place inside a filter graph (file paths only: user
 * text never enters the graph). Two levels, as ffmpeg parses them: the
 * option value (`\ ' :`), then the graph description (`\ ' [ ] , ;`).
 */
export function escapeFilterValue(value: string): string {
  const optionLevel = value.replace(/[\\':]/g, (c) => `\\${c}`);
  return optionLevel.replace(/[\\'[\],;]/g, (c) => `\\${c}`);
}

/** Seconds with at most 6 decimals and no exponent, as ffmpeg expects them. */
export function sec(value: number): string {
  const s = value.toFixed(6).replace(/\.?0+$/, '');
  return s === '-0' ? '0' : s;
}
