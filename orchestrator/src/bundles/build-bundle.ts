import { writeScript } from '../providers/script/index.js';
import type { AspectRatio, Duration, VideoRecord } from '../videos/video-repository.js';
import { AUDIO_DEFAULTS } from './audio-config.js';
import type { AudioConfig, SourceBundle } from './bundle-types.js';
import { compositingGuidance } from './compositing-guidance.js';
import { planShots } from './shot-plan.js';

export const DEFAULT_STYLE = 'promo';

export interface BundleInput {
  prompt: string;
  duration: Duration;
  aspectRatio: AspectRatio;
  style: string;
  /** Kept verbatim when given; else written to fit the slot after the voice starts. */
  script?: string;
  audioConfig: AudioConfig;
}

/** The commercial source bundle of one clip: pure and deterministic. */
export function buildSourceBundle(input: BundleInput): SourceBundle {
  const voiceSlot = Math.max(1, input.duration - input.audioConfig.voiceStartSec);
  const script =
    input.script ?? writeScript({ prompt: input.prompt, durationSec: voiceSlot, speechPace: input.audioConfig.speechPace, style: input.style });
  const shots = planShots({ prompt: input.prompt, duration: input.duration });
  return {
    style: input.style,
    script,
    scriptProvided: input.script !== undefined,
    audioConfig: { ...input.audioConfig },
    shots,
    compositing: compositingGuidance({ prompt: input.prompt, style: input.style, script, aspectRatio: input.aspectRatio, shots }),
    duration: input.duration,
    aspectRatio: input.aspectRatio,
  };
}

/**
 * The bundle stored on a video, or the default one for a clip made through
 * /api/v1 (which stores none), so captions and composites work for every clip.
 */
export function bundleFor(video: VideoRecord): SourceBundle {
  const stored = video.sourceBundle as Partial<SourceBundle> | null;
  if (stored && typeof stored.script === 'string' && Array.isArray(stored.shots) && stored.audioConfig && stored.compositing) {
    return { ...(stored as SourceBundle), audioConfig: { ...AUDIO_DEFAULTS, ...stored.audioConfig } };
  }
  return buildSourceBundle({
    prompt: video.prompt,
    duration: video.duration,
    aspectRatio: video.aspectRatio,
    style: DEFAULT_STYLE,
    audioConfig: { ...AUDIO_DEFAULTS },
  });
}
