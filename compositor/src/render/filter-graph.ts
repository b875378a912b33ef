import { FRAME_SIZES, type ComposeSpec } from '../../../shared/src/compose-spec.js';
import { crossfadeAudio, mixAudio, normalizeAudio, splitAudio, SAMPLE_RATE } from './audio-graph.js';
import { sec } from './filter-escape.js';
import type { Timeline } from './timeline.js';
import { crossfadeVideo, finishVideo, normalizeVideo, splitVideo, type FrameSize } from './video-graph.js';

/** Local files the graph reads; user text only ever arrives inside these files. */
export interface GraphAssets {
  /** One local file per timeline clip, in timeline order. */
  segments: string[];
  voice?: string;
  music?: string;
  /** ASS subtitle file with the caption cues. */
  captions?: string;
  /** One PNG per text overlay, in spec order. */
  overlays: string[];
  watermark?: string;
}

export interface FfmpegJob {
  /** Per input, its own argument list ending in `-i <path>`. */
  inputs: string[][];
  filterGraph: string;
  outputArgs: string[];
  expectedDurationSec: number;
}

export interface BuildOptions {
  spec: ComposeSpec;
  timeline: Timeline;
  assets: GraphAssets;
  fontsDir: string;
  outputPath: string;
  useXfade: boolean;
}

export const VIDEO_ENCODE = ['-c:v', 'libx264', '-preset', 'veryfast', '-crf', '20', '-pix_fmt', 'yuv420p'];
export const AUDIO_ENCODE = ['-c:a', 'aac', '-b:a', '160k', '-ar', String(SAMPLE_RATE), '-ac', '2'];

export function frameSize(spec: ComposeSpec): FrameSize {
  const full = FRAME_SIZES[spec.output.aspect];
  return { width: spec.output.width ?? full.width, height: spec.output.height ?? full.height };
}

/** The whole render as one filter graph: pure, so it is tested as exact strings. */
export function buildFilterGraph(options: BuildOptions): FfmpegJob {
  const { spec, timeline: t, assets } = options;
  const size = frameSize(spec);
  const fps = t.fps;
  const inputs: string[][] = t.clips.map((clip, k) => {
    const seek = clip.inSec > 0 ? ['-ss', sec(clip.inSec)] : [];
    // Input-level limits: frames past the clip's out-point are never decoded. One decoder
    // thread per clip: frame-threaded decoders keep their frame pools until the end of the
    // render (~30–45 MB per 1080p input), and x264 keeps the cores busy anyway.
    return ['-threads', '1', ...seek, '-t', sec(clip.frames / fps + 0.25), '-i', assets.segments[k]];
  });
  const filters: string[] = [];
  const last = t.clips.length - 1;
  const videoPieces: string[] = [];
  const audioPieces: string[] = [];
  let crossVideo: string | undefined;
  let crossAudio: string | undefined;

  t.clips.forEach((clip, k) => {
    const head = k > 0 ? t.fadeFrames : 0;
    const tail = k < last ? t.fadeFrames : 0;
    filters.push(normalizeVideo({ input: k, frames: clip.frames, fps, size, out: `v${k}` }));
    filters.push(normalizeAudio({ input: k, hasAudio: clip.hasAudio, frames: clip.frames, fps, volume: spec.audio.nativeVolume, out: `a${k}` }));
    const split = splitVideo({ label: `v${k}`, frames: clip.frames, headFrames: head, tailFrames: tail });
    filters.push(...split.filters, ...splitAudio({ label: `a${k}`, frames: clip.frames, headFrames: head, tailFrames: tail, fps }));
    const aLabel = (piece: string | undefined) => (piece ? `a${piece.slice(1)}` : undefined);
    if (k > 0 && t.fadeFrames > 0 && crossVideo && crossAudio && split.pieces.head) {
      filters.push(...crossfadeVideo({ tail: crossVideo, head: split.pieces.head, frames: t.fadeFrames, fps, useXfade: options.useXfade, out: `xv${k}` }));
      filters.push(...crossfadeAudio({ tail: crossAudio, head: aLabel(split.pieces.head) as string, frames: t.fadeFrames, fps, out: `xa${k}` }));
      videoPieces.push(`xv${k}`);
      audioPieces.push(`xa${k}`);
    }
    videoPieces.push(split.pieces.body);
    audioPieces.push(aLabel(split.pieces.body) as string);
    crossVideo = split.pieces.tail;
    crossAudio = aLabel(split.pieces.tail);
  });

  // One concat for picture and sound: it takes each clip's video and audio at the same moment.
  // Separate concats let one side run ahead and its input's decoded frames queue (> 2 GiB at 1080p).
  const concatIn = videoPieces.map((v, i) => `[${v}][${audioPieces[i]}]`).join('');
  filters.push(`${concatIn}concat=n=${videoPieces.length}:v=1:a=1[vcat][acat]`);

  let next = inputs.length;
  const addInput = (path: string, args: string[] = []) => {
    inputs.push([...args, '-i', path]);
    return next++;
  };
  const voice = assets.voice && spec.audio.voice ? { input: addInput(assets.voice), volume: spec.audio.voice.volume, startSec: spec.audio.voice.startSec } : undefined;
  // Music beds loop for long slots; the mix ends with the picture, so the loop never runs away.
  const music = assets.music && spec.audio.music ? { input: addInput(assets.music, ['-stream_loop', '-1']), volume: spec.audio.music.volume, startSec: spec.audio.music.startSec } : undefined;
  const overlays = spec.textOverlays.map((o, i) => ({ input: addInput(assets.overlays[i]), position: o.position, startSec: o.startSec, endSec: o.endSec }));
  const watermark = assets.watermark && spec.watermark ? { input: addInput(assets.watermark), position: spec.watermark.position } : undefined;

  filters.push(...finishVideo({ inLabel: 'vcat', timeline: t, size, assPath: assets.captions, fontsDir: options.fontsDir, overlays, watermark, out: 'vout' }));
  const anySound = t.clips.some((c) => c.hasAudio) || Boolean(voice) || Boolean(music);
  filters.push(...mixAudio({ nativeLabel: 'acat', timeline: t, voice, music, anySound, out: 'aout' }));

  return {
    inputs,
    filterGraph: filters.join(';'),
    outputArgs: ['-map', '[vout]', '-map', '[aout]', ...VIDEO_ENCODE, ...AUDIO_ENCODE, '-movflags', '+faststart', '-max_muxing_queue_size', '1024', '-y', options.outputPath],
    expectedDurationSec: t.slotFrames / fps,
  };
}

/** The complete ffmpeg argument list; every flag and value is its own element. */
export function ffmpegArgs(job: FfmpegJob): string[] {
  return [...job.inputs.flat(), '-filter_complex', job.filterGraph, ...job.outputArgs];
}
