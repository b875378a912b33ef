export interface NarrationRequest {
  text: string;
  /** 0.5–2.0 multiplier of 150 words per minute. */
  speechPace: number;
  /** 0.5–1.5 multiplier, 1 = normal. */
  pitch: number;
}

export interface NarrationProvider {
  readonly name: string;
  readonly premium: boolean;
  /** Writes a 48 kHz stereo WAV to destPath. */
  synthesize(req: NarrationRequest, destPath: string, signal?: AbortSignal): Promise<{ durationSec: number }>;
  /** Throws AppError('not_configured' | 'unavailable'). */
  checkAvailable(signal?: AbortSignal): Promise<void>;
}

/** Narration text longer than this is refused (a 30 s script is under 1,000 characters). */
export const MAX_NARRATION_CHARS = 5000;
