import { z } from 'zod';
import { audioConfigSchema, startTimeIssues } from '../bundles/audio-config.js';
import { DEFAULT_STYLE } from '../bundles/build-bundle.js';
import { scriptField } from '../captions/caption-schemas.js';
import { codePoints } from '../http/validate.js';
import { aspectRatioField, durationField, listVideosQuery, promptField } from '../videos/video-schemas.js';

const STYLE_MESSAGE = 'style must be a short name of 1 to 40 characters, e.g. "promo", "energetic", "calm" or "luxury".';

export const styleField = z
  .string({ error: STYLE_MESSAGE })
  .transform((s) => s.trim())
  .refine((s) => codePoints(s) >= 1 && codePoints(s) <= 40 && !/[\u0000-\u001f\u007f]/u.test(s), { message: STYLE_MESSAGE });

/** POST /api/businesses/me/video: the v1 fields plus the commercial's bundle options. */
export const createBundleSchema = z
  .object({
    prompt: promptField,
    duration: durationField,
    aspectRatio: aspectRatioField,
    style: styleField.default(DEFAULT_STYLE),
    script: scriptField.optional(),
    audioConfig: audioConfigSchema,
  })
  .superRefine((body, zctx) => {
    for (const issue of startTimeIssues(body.audioConfig, body.duration)) zctx.addIssue({ code: 'custom', ...issue });
  });
export type CreateBundleBody = z.output<typeof createBundleSchema>;

const DOWNLOAD_MESSAGE = 'download must be 1 (stream the generated clip) or 0.';

/** GET /api/businesses/me/video: one video (?videoId=, &download=1) or the list (limit, status as in v1). */
export const getVideoQuery = listVideosQuery.extend({
  videoId: z
    .string({ error: 'videoId must be given once, as the id of one of your videos.' })
    .min(1, { message: 'videoId must be the id of one of your videos, e.g. "vid_…".' })
    .optional(),
  download: z
    .enum(['1', '0', 'true', 'false'], { error: DOWNLOAD_MESSAGE })
    .transform((v) => v === '1' || v === 'true')
    .optional(),
});
