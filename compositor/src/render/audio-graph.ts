import type { Timeline } from './timeline.js';
import { sec } from './filter-escape.js';
import type { Crossfade, PieceSpan } from './video-graph.js';

export const SAMPLE_RATE = 48000;
export const AUDIO_FORMAT = `aformat=sample_fmts=fltp:sample_rates=${SAMPLE_RATE}:channel_layouts=stereo`;
/** Loudness target of every render: -16 LUFS integrated, -1.5 dBTP peak, 11 LU range (common for social video). */
export const LOUDNESS = { integrated: -16, truePeak: -1.5, range: 11 } as const;

/** Sample index of a frame boundary, so audio pieces line up with the picture exactly. */
export function samplesAt(frames: number, fps: number): number {
  return Math.round((frames * SAMPLE_RATE) / fps);
}

/** A clip's sound at 48 kHz stereo, exactly as long as its picture; silence when it has none. */
export function normalizeAudio(options: { input: number; hasAudio: boolean; frames: number; fps: number; volume: number; out: string }): string {
  const { input, hasAudio, frames, fps, volume, out } = options;
  const end = samplesAt(frames, fps);
  if (!hasAudio) return `anullsrc=channel_layout=stereo:sample_rate=${SAMPLE_RATE},${AUDIO_FORMAT},atrim=end_sample=${end}[${out}]`;
  const gain = volume === 1 ? '' : `volume=${volume},`;
  return `[${input}:a]asetpts=PTS-STARTPTS,aresample=${SAMPLE_RATE},${AUDIO_FORMAT},${gain}apad,atrim=end_sample=${end}[${out}]`;
}

export function splitAudio({ label, frames, headFrames, tailFrames, fps }: PieceSpan & { fps: number }): string[] {
  const parts = (headFrames > 0 ? 1 : 0) + 1 + (tailFrames > 0 ? 1 : 0);
  if (parts === 1) return [];
  const filters = [`[${label}]asplit=${parts}${headFrames > 0 ? `[${label}hs]` : ''}[${label}bs]${tailFrames > 0 ? `[${label}ts]` : ''}`];
  if (headFrames > 0) filters.push(`[${label}hs]atrim=end_sample=${samplesAt(headFrames, fps)},asetpts=PTS-STARTPTS[${label}h]`);
  filters.push(
    `[${label}bs]atrim=start_sample=${samplesAt(headFrames, fps)}:end_sample=${samplesAt(frames - tailFrames, fps)},asetpts=PTS-STARTPTS[${label}b]`,
  );
  if (tailFrames > 0) filters.push(`[${label}ts]atrim=start_sample=${samplesAt(frames - tailFrames, fps)},asetpts=PTS-STARTPTS[${label}t]`);
  return filters;
}

/**
 * Sound crossfade of two equally long pieces: linear fade-out + fade-in,
 * summed. Not acrossfade: in ffmpeg 4.1 it dereferences a missing frame (and
 * segfaults) when its second input is exactly the fade length, which is
 * precisely the case here.
 */
export function crossfadeAudio({ tail, head, frames, fps, out }: Crossfade): string[] {
  const ns = samplesAt(frames, fps);
  return [
    `[${tail}]afade=t=out:ss=0:ns=${ns}[${tail}f]`,
    `[${head}]afade=t=in:ss=0:ns=${ns}[${head}f]`,
    `[${tail}f][${head}f]amix=inputs=2:duration=longest:dropout_transition=0,volume=2,${AUDIO_FORMAT}[${out}]`,
  ];
}

export interface AudioTrack {
  input: number;
  volume: number;
  startSec: number;
}

function track(t: AudioTrack, out: string, extra = ''): string {
  const delayMs = Math.round(t.startSec * 1000);
  const delay = delayMs > 0 ? `adelay=${delayMs}|${delayMs},` : '';
  const gain = t.volume === 1 ? '' : `volume=${t.volume},`;
  return `[${t.input}:a]aresample=${SAMPLE_RATE},${AUDIO_FORMAT},${gain}${delay}${extra}apad[${out}]`;
}

/**
 * Native sound + voice + music: music ducked under the voice by a sidechain
 * compressor, the sum loudness-normalised, cut to the slot exactly.
 */
export function mixAudio(options: { nativeLabel: string; timeline: Timeline; voice?: AudioTrack; music?: AudioTrack; anySound: boolean; out: string }): string[] {
  const { timeline: t } = options;
  const slotSec = t.slotFrames / t.fps;
  const filters: string[] = [];
  const native = `[${options.nativeLabel}]apad,atrim=end_sample=${samplesAt(t.slotFrames, t.fps)}[anat]`;
  filters.push(native);
  const mixInputs = ['anat'];
  if (options.voice) {
    filters.push(track(options.voice, 'avoice'));
    if (options.music) filters.push('[avoice]asplit=2[avmix][avsc]');
    mixInputs.push(options.music ? 'avmix' : 'avoice');
  }
  if (options.music) {
    const fadeSec = Math.min(1, slotSec / 4);
    const musicFade = `afade=t=out:st=${sec(slotSec - fadeSec)}:d=${sec(fadeSec)},`;
    filters.push(track(options.music, 'amusic', musicFade));
    if (options.voice) {
      filters.push('[amusic][avsc]sidechaincompress=threshold=0.02:ratio=8:attack=20:release=400[aduck]');
      mixInputs.push('aduck');
    } else mixInputs.push('amusic');
  }
  let current = 'anat';
  if (mixInputs.length > 1) {
    // amix divides by the input count; loudnorm sets the final level anyway, the gain keeps headroom sane.
    filters.push(`${mixInputs.map((l) => `[${l}]`).join('')}amix=inputs=${mixInputs.length}:duration=first:dropout_transition=0,volume=${mixInputs.length}[amixed]`);
    current = 'amixed';
  }
  const finish: string[] = [];
  if (options.anySound) {
    finish.push(`loudnorm=I=${LOUDNESS.integrated}:TP=${LOUDNESS.truePeak}:LRA=${LOUDNESS.range}`, `aresample=${SAMPLE_RATE}`, AUDIO_FORMAT);
  }
  finish.push('apad', `atrim=end_sample=${samplesAt(t.slotFrames, t.fps)}`);
  if (t.fadeOutFrames > 0) {
    finish.push(`afade=t=out:st=${sec((t.slotFrames - t.fadeOutFrames) / t.fps)}:d=${sec(t.fadeOutFrames / t.fps)}`);
  }
  filters.push(`[${current}]${finish.join(',')}[${options.out}]`);
  return filters;
}
