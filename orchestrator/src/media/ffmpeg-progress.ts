/**
 * Pure: the last `time=HH:MM:SS.ss` in a chunk of ffmpeg's stats output, in
 * seconds, or undefined when the chunk holds none.
 */
export function parseFfmpegTime(chunk: string): number | undefined {
  const matches = [...chunk.matchAll(/time=\s*(-?)(\d+):(\d{2}):(\d{2}(?:\.\d+)?)/g)];
  const last = matches.at(-1);
  if (!last || last[1] === '-') return undefined;
  return Number(last[2]) * 3600 + Number(last[3]) * 60 + Number(last[4]);
}
