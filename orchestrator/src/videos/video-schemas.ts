import { z } from 'zod';
import { codePoints } from '../http/validate.js';

export const DURATIONS = [5, 15, 30] as const;
export const ASPECT_RATIOS = ['16:9', '9:16', '1:1'] as const;

const PROMPT_MESSAGE = 'prompt must be a string of 5 to 500 characters describing the video.';

export const promptField = z
  .string({ error: PROMPT_MESSAGE })
  .transform((s) => s.trim())
  .refine((s) => codePoints(s) >= 5, { message: 'prompt is too short: use at least 5 characters (after trimming spaces).' })
  .refine((s) => codePoints(s) <= 500, { message: 'prompt is too long: use at most 500 characters.' });

const DURATION_MESSAGE = 'duration must be 5, 15 or 30 (seconds).';
export const durationField = z
  .union([z.number(), z.string()], { error: DURATION_MESSAGE })
  .transform((v, ctx) => {
    const n = typeof v === 'string' && /^\s*\d+\s*$/.test(v) ? Number(v) : v;
    if (n === 5 || n === 15 || n === 30) return n as 5 | 15 | 30;
    ctx.addIssue({ code: 'custom', message: DURATION_MESSAGE });
    return z.NEVER;
  })
  .default(15);

export const aspectRatioField = z.enum(ASPECT_RATIOS, { error: 'aspectRatio must be "16:9", "9:16" or "1:1".' }).default('16:9');

export const createVideoSchema = z.object({
  prompt: promptField,
  duration: durationField,
  aspectRatio: aspectRatioField,
});
export type CreateVideoInput = z.output<typeof createVideoSchema>;

export const STATUS_FILTERS = ['completed', 'processing', 'failed', 'all'] as const;

export const listVideosQuery = z.object({
  limit: z
    .string({ error: 'limit must be a whole number from 1 to 50.' })
    .regex(/^\d{1,3}$/, { message: 'limit must be a whole number from 1 to 50.' })
    .transform(Number)
    .refine((n) => n >= 1 && n <= 50, { message: 'limit must be a whole number from 1 to 50.' })
    .default(20),
  status: z.enum(STATUS_FILTERS, { error: 'status must be completed, processing, failed or all.' }).default('all'),
});
