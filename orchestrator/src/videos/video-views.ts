import type { VideoRecord } from './video-repository.js';
import { periodBounds, periodOf } from '../db/time.js';

/** The public shape of a video job (v1 and dashboard list). */
export function videoView(v: VideoRecord) {
  return {
    id: v.id,
    status: v.status,
    prompt: v.prompt,
    duration: v.duration,
    aspectRatio: v.aspectRatio,
    credits: v.credits,
    createdAt: v.createdAt,
    completedAt: v.completedAt,
    error: v.error,
  };
}

export function usageView(input: { used: number; monthlyCredits: number; now?: Date }) {
  return {
    creditsUsed: input.used,
    monthlyCredits: input.monthlyCredits,
    creditsRemaining: Math.max(0, input.monthlyCredits - input.used),
    period: periodBounds(periodOf(input.now)),
  };
}
