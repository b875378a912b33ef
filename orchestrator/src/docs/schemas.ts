import { z } from 'zod';

/** Response shapes as documented in the OpenAPI document; tests hold live responses to them. */
export const errorBody = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }).strict(),
  })
  .strict()
  .meta({ id: 'Error' });

export const videoView = z
  .object({
    id: z.string().describe('Opaque job id, e.g. vid_…'),
    status: z.enum(['processing', 'completed', 'failed']),
    prompt: z.string(),
    duration: z.union([z.literal(5), z.literal(15), z.literal(30)]),
    aspectRatio: z.enum(['16:9', '9:16', '1:1']),
    credits: z.number().int(),
    createdAt: z.string(),
    completedAt: z.string().nullable(),
    error: z.string().nullable(),
  })
  .strict()
  .meta({ id: 'Video' });

export const usage = {
  creditsUsed: z.number().int(),
  monthlyCredits: z.number().int(),
  creditsRemaining: z.number().int(),
  period: z.object({ start: z.string(), end: z.string() }).strict(),
};

export const videoList = z
  .object({ videos: z.array(videoView), ...usage })
  .strict()
  .meta({ id: 'VideoList' });

export const health = z.object({ status: z.string() }).passthrough();
