import type { MediaInfo } from '../ffmpeg/probe.js';

export interface OutputExpectation {
  durationSec: number;
  toleranceSec: number;
  width: number;
  height: number;
  fps: number;
}

/** The render's acceptance check; any problem makes the job fail with these reasons. */
export function verifyOutput(info: MediaInfo, expected: OutputExpectation): string[] {
  const problems: string[] = [];
  if (!info.video) problems.push('the output has no video stream');
  if (!info.audio) problems.push('the output has no audio stream');
  const off = Math.abs(info.durationSec - expected.durationSec);
  if (!(off <= expected.toleranceSec)) {
    problems.push(`duration is ${info.durationSec.toFixed(3)} s, expected ${expected.durationSec} s ± ${expected.toleranceSec} s`);
  }
  if (info.video) {
    if (info.video.width !== expected.width || info.video.height !== expected.height) {
      problems.push(`frame is ${info.video.width}x${info.video.height}, expected ${expected.width}x${expected.height}`);
    }
    if (Math.abs(info.video.fps - expected.fps) > 0.01) problems.push(`frame rate is ${info.video.fps.toFixed(3)}, expected ${expected.fps}`);
    if (info.video.codec !== 'h264') problems.push(`video codec is ${info.video.codec}, expected h264`);
  }
  if (info.audio && info.audio.codec !== 'aac') problems.push(`audio codec is ${info.audio.codec}, expected aac`);
  return problems;
}
