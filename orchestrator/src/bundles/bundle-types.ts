import type { AspectRatio, Duration } from '../videos/video-repository.js';

/**
 * The commercial source bundle stored on `video_generations.source_bundle`.
 * Created by POST /api/businesses/me/video, read by captions and composites.
 */
export interface AudioConfig {
  /** Narration speed multiplier of 150 words/minute; 0.5–2.0, default 1.0. */
  speechPace: number;
  /** Voice pitch multiplier; 0.5–1.5, default 1.0. */
  pitch: number;
  /** 0–2 (1 = unchanged); defaults voice 1.0, music 0.25, native 0.5. */
  voiceVolume: number;
  musicVolume: number;
  nativeVolume: number;
  /** Seconds from the start of the video; 0 to the duration; defaults voice 0.5, music 0. */
  voiceStartSec: number;
  musicStartSec: number;
}

export interface Shot {
  index: number;
  startSec: number;
  endSec: number;
  description: string;
}

export type OverlayPosition = 'top-left' | 'top' | 'top-right' | 'center' | 'bottom-left' | 'bottom' | 'bottom-right';

export interface CompositingGuidance {
  transitions: { type: 'cut' | 'fade'; durationSec: number };
  textOverlays: Array<{ text: string; startSec: number; endSec: number; position: OverlayPosition }>;
  musicMood: 'upbeat' | 'calm' | 'corporate';
  captionStyle: 'clean' | 'bold';
  safeAreas: { top: number; bottom: number; left: number; right: number }; // fractions of the frame
}

export interface SourceBundle {
  style: string;
  script: string;
  /** true when the client supplied the script (kept verbatim). */
  scriptProvided: boolean;
  audioConfig: AudioConfig;
  shots: Shot[];
  compositing: CompositingGuidance;
  duration: Duration;
  aspectRatio: AspectRatio;
}

export interface CaptionCue {
  startSec: number;
  endSec: number;
  text: string;
}

/** Stored on `video_generations.captions`. */
export interface StoredCaptions {
  cues: CaptionCue[];
  captionStyle: 'clean' | 'bold';
  /** sha256 of the inputs the cues were timed from (script, pace, voice start, narration length). */
  inputsHash: string;
  /** The credit-ledger ref that paid for this caption set. */
  chargeRef: string;
  createdAt: string;
}
