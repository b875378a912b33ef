/**
 * ffmpeg `-progress pipe:1` emits blocks of `key=value` lines ending with
 * `progress=continue|end`. We only need how far the output has got.
 */
export interface ProgressUpdate {
  outTimeSec?: number;
  done: boolean;
}

/** Parses one line of progress output; returns undefined for lines we ignore. */
export function parseProgressLine(line: string): ProgressUpdate | undefined {
  const eq = line.indexOf('=');
  if (eq < 0) return undefined;
  const key = line.slice(0, eq).trim();
  const value = line.slice(eq + 1).trim();
  // out_time_ms is in microseconds despite its name (a long-standing ffmpeg quirk).
  if (key === 'out_time_us' || key === 'out_time_ms') {
    const us = Number(value);
    return Number.isFinite(us) && us >= 0 ? { outTimeSec: us / 1e6, done: false } : undefined;
  }
  if (key === 'progress') return { done: value === 'end' };
  return undefined;
}

/** Fraction 0–1 of the expected duration, never past 0.99 until ffmpeg says it has ended. */
export function progressFraction(outTimeSec: number, totalSec: number): number {
  if (!(totalSec > 0)) return 0;
  return Math.min(0.99, Math.max(0, outTimeSec / totalSec));
}
