import type { ComposeSpecInput, TextOverlay } from '../../../shared/src/compose-spec.js';
import type { AudioConfig, CaptionCue } from '../bundles/bundle-types.js';
import type { AspectRatio, Duration } from '../videos/video-repository.js';

/**
 * Pure builders of the compose spec the compositor renders. Every decision
 * (plan rules, which URLs, which cues) is made before; these only shape it.
 */
export const OUTPUT_FPS = 30;
export const DURATION_TOLERANCE_SEC = 0.1;
export const WATERMARK_POSITION = 'bottom-right' as const;
export const WATERMARK_OPACITY = 0.6;

export interface FrameSize {
  width: number;
  height: number;
}

interface CommonInput {
  /** The composite id, echoed back by the compositor for correlation. */
  reference: string;
  duration: Duration;
  aspect: AspectRatio;
  /** A smaller frame than the aspect's full size (previews, tests). */
  frame?: FrameSize;
  watermarkText?: string;
}

export interface SingleSpecInput extends CommonInput {
  sourceUrl: string;
  audioConfig: AudioConfig;
  voiceUrl?: string;
  musicUrl?: string;
  /** Burned in when present. */
  captions?: { cues: CaptionCue[]; style: 'clean' | 'bold' };
  textOverlays: TextOverlay[];
}

export interface ClipsSpecInput extends CommonInput {
  clips: Array<{ url: string; durationSec: number }>;
  transition: { type: 'cut' | 'fade'; durationSec: number };
  nativeVolume: number;
  music?: { url: string; volume: number; startSec: number };
}

function output(input: CommonInput): ComposeSpecInput['output'] {
  return { aspect: input.aspect, durationSec: input.duration, fps: OUTPUT_FPS, toleranceSec: DURATION_TOLERANCE_SEC, ...(input.frame ?? {}) };
}

function watermark(text: string | undefined): Pick<ComposeSpecInput, 'watermark'> {
  return text ? { watermark: { text, position: WATERMARK_POSITION, opacity: WATERMARK_OPACITY } } : {};
}

export function buildSingleSpec(input: SingleSpecInput): ComposeSpecInput {
  const a = input.audioConfig;
  const audio: ComposeSpecInput['audio'] = { nativeVolume: a.nativeVolume };
  if (input.voiceUrl) audio.voice = { url: input.voiceUrl, volume: a.voiceVolume, startSec: a.voiceStartSec };
  if (input.musicUrl) audio.music = { url: input.musicUrl, volume: a.musicVolume, startSec: a.musicStartSec };
  return {
    output: output(input),
    segments: [{ url: input.sourceUrl }],
    transition: { type: 'cut', durationSec: 0 },
    ...(input.captions ? { captions: { cues: input.captions.cues, style: input.captions.style, burnIn: true } } : {}),
    audio,
    textOverlays: input.textOverlays,
    ...watermark(input.watermarkText),
    reference: input.reference,
  };
}

/**
 * Clips in the given order, one segment each. When they would run past the
 * slot, every clip is trimmed to an equal share (fades overlap neighbours,
 * so a share is (slot + overlaps) / n); shorter totals are padded by the
 * compositor to the slot.
 */
export function buildClipsSpec(input: ClipsSpecInput): ComposeSpecInput {
  const n = input.clips.length;
  const fade = input.transition.type === 'fade' ? input.transition.durationSec : 0;
  const content = input.clips.reduce((sum, c) => sum + c.durationSec, 0) - (n - 1) * fade;
  const share = content > input.duration ? round3((input.duration + (n - 1) * fade) / n) : undefined;
  const segments = input.clips.map((c) => (share !== undefined && c.durationSec > share ? { url: c.url, startSec: 0, endSec: share } : { url: c.url }));
  const audio: ComposeSpecInput['audio'] = { nativeVolume: input.nativeVolume };
  if (input.music) audio.music = { ...input.music };
  return {
    output: output(input),
    segments,
    transition: { type: input.transition.type, durationSec: fade },
    audio,
    textOverlays: [],
    ...watermark(input.watermarkText),
    reference: input.reference,
  };
}

function round3(x: number): number {
  return Math.floor(x * 1000) / 1000;
}
