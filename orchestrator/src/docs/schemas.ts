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

const num = z.number();
export const audioConfig = z
  .object({ speechPace: num, pitch: num, voiceVolume: num, musicVolume: num, nativeVolume: num, voiceStartSec: num, musicStartSec: num })
  .strict()
  .meta({ id: 'AudioConfig' });

export const captionCue = z.object({ startSec: num, endSec: num, text: z.string() }).strict().meta({ id: 'CaptionCue' });
const position = z.enum(['top-left', 'top', 'top-right', 'center', 'bottom-left', 'bottom', 'bottom-right']);

export const dashboardVideo = videoView
  .extend({
    style: z.string(),
    script: z.string(),
    scriptProvided: z.boolean(),
    audioConfig,
    shots: z.array(z.object({ index: z.number().int(), startSec: num, endSec: num, description: z.string() }).strict()),
    compositing: z
      .object({
        transitions: z.object({ type: z.enum(['cut', 'fade']), durationSec: num }).strict(),
        textOverlays: z.array(z.object({ text: z.string(), startSec: num, endSec: num, position }).strict()),
        musicMood: z.enum(['upbeat', 'calm', 'corporate']),
        captionStyle: z.enum(['clean', 'bold']),
        safeAreas: z.object({ top: num, bottom: num, left: num, right: num }).strict(),
      })
      .strict(),
    captions: z.object({ captionCues: z.array(captionCue), captionStyle: z.enum(['clean', 'bold']), createdAt: z.string() }).strict().optional(),
    downloadUrl: z.string().optional(),
  })
  .strict()
  .meta({ id: 'DashboardVideo' });

export const dashboardVideoEnvelope = z.object({ video: dashboardVideo }).strict();

export const captionsResponse = z
  .object({
    captionCues: z.array(captionCue),
    compositeBody: z.object({ videoId: z.string(), captionCues: z.array(captionCue), captionStyle: z.enum(['clean', 'bold']), burnIn: z.boolean() }).strict(),
    charged: z.boolean(),
  })
  .strict()
  .meta({ id: 'Captions' });

export const webhookView = z.object({ url: z.string(), secret: z.string().optional(), createdAt: z.string(), updatedAt: z.string() }).strict().meta({ id: 'Webhook' });

export const readiness = z.object({ status: z.enum(['ready', 'degraded']), checks: z.record(z.string(), z.unknown()) }).strict();

const compositeCommon = { compositeId: z.string(), dropped: z.array(z.string()), notes: z.array(z.string()) };
export const compositeAnswer = z
  .union([
    z
      .object({
        status: z.literal('completed'),
        ...compositeCommon,
        composite: z.object({ url: z.string(), durationSec: num, width: z.number().int(), height: z.number().int() }).strict(),
        charged: z.literal(true),
        jobToken: z.string().optional(),
      })
      .strict(),
    z
      .object({
        status: z.literal('processing'),
        ...compositeCommon,
        jobToken: z.string().optional(),
        statusEndpoint: z.literal('/api/businesses/me/video/composite'),
        progress: num,
        charged: z.literal(false),
      })
      .strict(),
    z.object({ status: z.literal('failed'), ...compositeCommon, error: z.object({ code: z.string(), message: z.string() }).strict(), charged: z.literal(false) }).strict(),
  ])
  .meta({ id: 'CompositeAnswer' });

export const composeAccepted = z.object({ jobId: z.string(), status: z.literal('queued'), statusUrl: z.string() }).strict().meta({ id: 'ComposeAccepted' });
export const composeJob = z
  .object({
    jobId: z.string(),
    status: z.enum(['queued', 'processing', 'completed', 'failed', 'canceled']),
    progress: num,
    output: z.object({ url: z.string(), durationSec: num, width: z.number().int(), height: z.number().int(), sizeBytes: z.number().int() }).strict().optional(),
    error: z.object({ code: z.string(), message: z.string() }).strict().optional(),
  })
  .strict()
  .meta({ id: 'ComposeJob' });
