import type { Position } from '../../../shared/src/compose-spec.js';
import type { Timeline } from './timeline.js';
import { escapeFilterValue, sec } from './filter-escape.js';

export interface FrameSize {
  width: number;
  height: number;
}

/** Splits a normalized clip into the pieces the timeline needs: fade-in head, body, fade-out tail. */
export interface ClipPieces {
  head?: string;
  body: string;
  tail?: string;
}

/** A clip of `frames` frames cut into a head and a tail of the given lengths (0 = none). */
export interface PieceSpan {
  label: string;
  frames: number;
  headFrames: number;
  tailFrames: number;
}

/** A crossfade of two equally long pieces (`frames` long) into `out`. */
export interface Crossfade {
  tail: string;
  head: string;
  frames: number;
  fps: number;
  out: string;
}

/** Every clip to the output frame: constant fps, cover-crop, square pixels, yuv420p, exactly `frames` long. */
export function normalizeVideo({ input, frames, fps, size, out }: { input: number; frames: number; fps: number; size: FrameSize; out: string }): string {
  const { width: w, height: h } = size;
  return (
    `[${input}:v]setpts=PTS-STARTPTS,fps=${fps},` +
    `scale=${w}:${h}:force_original_aspect_ratio=increase,crop=${w}:${h},setsar=1,format=yuv420p,` +
    // A source a few frames shorter than its probed duration holds its last frame instead of shortening the timeline.
    `tpad=stop_mode=clone:stop=${fps},trim=end_frame=${frames}[${out}]`
  );
}

/** Trims the clip into head / body / tail. The pieces are consumed one after another, so nothing queues up. */
export function splitVideo({ label, frames, headFrames, tailFrames }: PieceSpan): { filters: string[]; pieces: ClipPieces } {
  const names = [headFrames > 0 ? `${label}h` : undefined, `${label}b`, tailFrames > 0 ? `${label}t` : undefined].filter((n): n is string => Boolean(n));
  if (names.length === 1) return { filters: [], pieces: { body: label } };
  const filters = [`[${label}]split=${names.length}${names.map((n) => `[${n}s]`).join('')}`];
  if (headFrames > 0) filters.push(`[${label}hs]trim=end_frame=${headFrames},setpts=PTS-STARTPTS[${label}h]`);
  filters.push(`[${label}bs]trim=start_frame=${headFrames}:end_frame=${frames - tailFrames},setpts=PTS-STARTPTS[${label}b]`);
  if (tailFrames > 0) filters.push(`[${label}ts]trim=start_frame=${frames - tailFrames},setpts=PTS-STARTPTS[${label}t]`);
  return {
    filters,
    pieces: { head: headFrames > 0 ? `${label}h` : undefined, body: `${label}b`, tail: tailFrames > 0 ? `${label}t` : undefined },
  };
}

/** Picture crossfade of two equally long pieces: xfade where the build has it, else an alpha fade-in overlaid on the tail. */
export function crossfadeVideo({ tail, head, frames, fps, useXfade, out }: Crossfade & { useXfade: boolean }): string[] {
  if (useXfade) return [`[${tail}][${head}]xfade=transition=fade:duration=${frames / fps}:offset=0[${out}]`];
  return [`[${head}]format=yuva420p,fade=t=in:s=0:n=${frames}:alpha=1[${head}a]`, `[${tail}][${head}a]overlay=format=yuv420:eof_action=pass[${out}]`];
}

/** Overlay coordinates inside the safe margins; expressions use only our own numbers. */
export function positionExpr(position: Position, margin: { x: number; y: number }): { x: string; y: string } {
  const left = String(margin.x);
  const right = `W-w-${margin.x}`;
  const top = String(margin.y);
  const bottom = `H-h-${margin.y}`;
  const centerX = '(W-w)/2';
  const centerY = '(H-h)/2';
  switch (position) {
    case 'top-left':
      return { x: left, y: top };
    case 'top':
      return { x: centerX, y: top };
    case 'top-right':
      return { x: right, y: top };
    case 'center':
      return { x: centerX, y: centerY };
    case 'bottom-left':
      return { x: left, y: bottom };
    case 'bottom':
      return { x: centerX, y: bottom };
    case 'bottom-right':
      return { x: right, y: bottom };
  }
}

/** Safe margins per aspect: vertical video keeps clear of the platform's own UI. */
export function safeMargins(size: FrameSize): { x: number; y: number } {
  const portrait = size.height > size.width;
  return { x: Math.round(size.width * (portrait ? 0.06 : 0.04)), y: Math.round(size.height * (portrait ? 0.08 : 0.05)) };
}

/** The finishing chain: hold the last frame, burn captions, overlays and watermark, fade out when cut short. */
export function finishVideo(options: {
  inLabel: string;
  timeline: Timeline;
  size: FrameSize;
  assPath?: string;
  fontsDir: string;
  overlays: { input: number; position: Position; startSec: number; endSec: number }[];
  watermark?: { input: number; position: Position };
  out: string;
}): string[] {
  const { timeline: t, size } = options;
  const margin = safeMargins(size);
  const filters: string[] = [];
  let current = options.inLabel;
  const chain: string[] = [];
  // concat leaves its output frame rate unset, and tpad needs it to time the held frames.
  if (t.padFrames > 0) chain.push(`fps=${t.fps}`, `tpad=stop_mode=clone:stop=${t.padFrames}`);
  if (options.assPath) chain.push(`ass=filename=${escapeFilterValue(options.assPath)}:fontsdir=${escapeFilterValue(options.fontsDir)}`);
  if (chain.length > 0) {
    filters.push(`[${current}]${chain.join(',')}[vfin0]`);
    current = 'vfin0';
  }
  options.overlays.forEach((o, i) => {
    const { x, y } = positionExpr(o.position, margin);
    filters.push(`[${current}][${o.input}:v]overlay=x=${x}:y=${y}:enable='between(t,${sec(o.startSec)},${sec(o.endSec)})'[vov${i}]`);
    current = `vov${i}`;
  });
  if (options.watermark) {
    const { x, y } = positionExpr(options.watermark.position, margin);
    filters.push(`[${current}][${options.watermark.input}:v]overlay=x=${x}:y=${y}[vwm]`);
    current = 'vwm';
  }
  const tailChain: string[] = [];
  if (t.fadeOutFrames > 0) tailChain.push(`fade=t=out:s=${t.slotFrames - t.fadeOutFrames}:n=${t.fadeOutFrames}`);
  tailChain.push(`trim=end_frame=${t.slotFrames}`, 'format=yuv420p');
  filters.push(`[${current}]${tailChain.join(',')}[${options.out}]`);
  return filters;
}
