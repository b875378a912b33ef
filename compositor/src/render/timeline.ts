import type { ComposeSpec } from '../../../shared/src/compose-spec.js';

/**
 * The render timeline in whole frames, so every cut, fade and the final
 * duration land exactly on frame boundaries (and audio on the matching sample).
 */
export interface SourceInfo {
  /** Duration of the fetched source file, from ffprobe. */
  durationSec: number;
  hasAudio: boolean;
}

export interface TimelineClip {
  /** Index of the segment (and of its ffmpeg input). */
  index: number;
  /** In-point in the source, seconds. */
  inSec: number;
  frames: number;
  hasAudio: boolean;
}

export interface Timeline {
  fps: number;
  clips: TimelineClip[];
  /** Frames shared by two neighbouring clips during a fade; 0 = hard cuts. */
  fadeFrames: number;
  /** Frames of the target slot. */
  slotFrames: number;
  /** Frames the clips cover before padding. */
  contentFrames: number;
  /** Frames of held last picture (and padded audio) to reach the slot. */
  padFrames: number;
  /** Frames of fade to black at the end when the content was cut short to fit the slot. */
  fadeOutFrames: number;
}

export class TimelineError extends Error {
  constructor(message: string, readonly field: string) {
    super(message);
    this.name = 'TimelineError';
  }
}

export const END_FADE_SEC = 0.5;

export function computeTimeline(spec: ComposeSpec, sources: SourceInfo[]): Timeline {
  const fps = spec.output.fps;
  const slotFrames = Math.round(spec.output.durationSec * fps);
  const clips: TimelineClip[] = spec.segments.map((seg, index) => {
    const source = sources[index];
    const inSec = seg.startSec ?? 0;
    const outSec = Math.min(seg.endSec ?? source.durationSec, source.durationSec);
    const frames = Math.floor((outSec - inSec) * fps + 1e-6);
    if (frames < 1) {
      throw new TimelineError(`segments.${index} is empty: the source lasts ${source.durationSec.toFixed(2)} s, the segment starts at ${inSec} s.`, `segments.${index}.startSec`);
    }
    return { index, inSec, frames, hasAudio: source.hasAudio };
  });

  let fadeFrames = spec.transition.type === 'fade' && clips.length > 1 ? Math.round(spec.transition.durationSec * fps) : 0;
  // A middle clip gives a head and a tail to fades, so keep at least a third of the shortest clip unfaded.
  fadeFrames = Math.max(0, Math.min(fadeFrames, Math.floor(Math.min(...clips.map((c) => c.frames)) / 3)));

  const kept = fitToSlot({ clips, fade: fadeFrames, slot: slotFrames });
  const contentFrames = kept.reduce((sum, c) => sum + c.frames, 0) - (kept.length - 1) * fadeFrames;
  const cutShort = contentFrames < clips.reduce((sum, c) => sum + c.frames, 0) - (clips.length - 1) * fadeFrames;
  return {
    fps,
    clips: kept,
    fadeFrames: kept.length > 1 ? fadeFrames : 0,
    slotFrames,
    contentFrames,
    padFrames: Math.max(0, slotFrames - contentFrames),
    fadeOutFrames: cutShort ? Math.min(Math.round(END_FADE_SEC * fps), Math.floor(slotFrames / 4)) : 0,
  };
}

/** Drops or shortens clips that would run past the slot, so nothing beyond it is decoded. */
function fitToSlot({ clips, fade, slot }: { clips: TimelineClip[]; fade: number; slot: number }): TimelineClip[] {
  const kept: TimelineClip[] = [];
  const offsets: number[] = [];
  let offset = 0;
  for (const clip of clips) {
    const remaining = slot - offset;
    if (clip.frames < remaining) {
      kept.push({ ...clip });
      offsets.push(offset);
      offset += clip.frames - fade;
      continue;
    }
    if (kept.length > 0 && remaining <= fade) {
      // Too little left to fade this clip in: end on the previous clip instead.
      const prev = kept[kept.length - 1];
      prev.frames = slot - offsets[offsets.length - 1];
    } else {
      kept.push({ ...clip, frames: remaining });
    }
    break;
  }
  return kept;
}
