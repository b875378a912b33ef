import { z } from 'zod';

/**
 * The compose spec: what the orchestrator asks the compositor to render.
 * Validated on both sides; limits here are the compositor's hard limits.
 */
export const ASPECTS = ['16:9', '9:16', '1:1'] as const;
export type Aspect = (typeof ASPECTS)[number];

export const FRAME_SIZES: Record<Aspect, { width: number; height: number }> = {
  '16:9': { width: 1920, height: 1080 },
  '9:16': { width: 1080, height: 1920 },
  '1:1': { width: 1080, height: 1080 },
};

export const CAPTION_STYLES = ['clean', 'bold'] as const;
export const POSITIONS = ['top-left', 'top', 'top-right', 'center', 'bottom-left', 'bottom', 'bottom-right'] as const;
export type Position = (typeof POSITIONS)[number];

export const LIMITS = {
  maxSegments: 20,
  maxDurationSec: 120,
  maxCues: 400,
  maxOverlays: 20,
  maxTextChars: 500,
  maxSpecBytes: 256 * 1024,
} as const;

const seconds = (max: number = LIMITS.maxDurationSec * 4) =>
  z.number({ error: 'must be a number of seconds' }).finite().min(0, 'must not be negative').max(max, `must be at most ${max}`);
const volume = z.number({ error: 'must be a number' }).min(0, 'must be at least 0').max(2, 'must be at most 2');
const httpUrl = z
  .string({ error: 'must be a URL string' })
  .max(4096, 'must be at most 4096 characters')
  .refine((u) => /^https?:\/\//i.test(u) && URL.canParse(u), 'must be an absolute http(s) URL');
const userText = z
  .string({ error: 'must be a string' })
  .refine((t) => [...t].length <= LIMITS.maxTextChars, `must be at most ${LIMITS.maxTextChars} characters`);

export const outputSchema = z.object({
  aspect: z.enum(ASPECTS, { error: 'must be one of 16:9, 9:16, 1:1' }),
  durationSec: z.number({ error: 'must be a number of seconds' }).positive('must be positive').max(LIMITS.maxDurationSec, `must be at most ${LIMITS.maxDurationSec}`),
  fps: z.number().int('must be a whole number').min(1).max(60).default(30),
  toleranceSec: z.number().min(0.01).max(2).default(0.1),
  /** Optional smaller frame for previews and tests; defaults to the aspect's full frame. */
  width: z.number().int().min(16).max(3840).optional(),
  height: z.number().int().min(16).max(3840).optional(),
});

export const segmentSchema = z
  .object({ url: httpUrl, startSec: seconds().optional(), endSec: seconds().optional() })
  .refine((s) => s.startSec === undefined || s.endSec === undefined || s.endSec > s.startSec, {
    message: 'endSec must be greater than startSec',
    path: ['endSec'],
  });

export const transitionSchema = z.object({
  type: z.enum(['cut', 'fade'], { error: 'must be "cut" or "fade"' }),
  durationSec: z.number().min(0, 'must not be negative').max(2, 'must be at most 2').default(0.5),
});

export const cueSchema = z
  .object({ startSec: seconds(), endSec: seconds(), text: userText.refine((t) => t.trim().length > 0, 'must not be empty') })
  .refine((c) => c.endSec > c.startSec, { message: 'endSec must be greater than startSec', path: ['endSec'] });

export const captionsSchema = z.object({
  cues: z.array(cueSchema).max(LIMITS.maxCues, `must have at most ${LIMITS.maxCues} cues`),
  style: z.enum(CAPTION_STYLES, { error: 'must be "clean" or "bold"' }).default('clean'),
  burnIn: z.boolean().default(true),
});

const audioTrackSchema = z.object({ url: httpUrl, volume: volume.default(1), startSec: seconds().default(0) });

export const audioSchema = z.object({
  nativeVolume: volume.default(1),
  voice: audioTrackSchema.optional(),
  music: audioTrackSchema.optional(),
});

export const textOverlaySchema = z
  .object({
    text: userText.refine((t) => t.trim().length > 0, 'must not be empty'),
    startSec: seconds(),
    endSec: seconds(),
    position: z.enum(POSITIONS).default('center'),
  })
  .refine((o) => o.endSec > o.startSec, { message: 'endSec must be greater than startSec', path: ['endSec'] });

export const watermarkSchema = z
  .object({
    text: userText.optional(),
    imageUrl: httpUrl.optional(),
    position: z.enum(POSITIONS).default('bottom-right'),
    opacity: z.number().min(0).max(1).default(0.6),
  })
  .refine((w) => Boolean(w.text) !== Boolean(w.imageUrl), { message: 'set exactly one of text or imageUrl' });

export const composeSpecSchema = z.object({
  output: outputSchema,
  segments: z.array(segmentSchema).min(1, 'must have at least one segment').max(LIMITS.maxSegments, `must have at most ${LIMITS.maxSegments} segments`),
  transition: transitionSchema.default({ type: 'cut', durationSec: 0 }),
  captions: captionsSchema.optional(),
  audio: audioSchema.default({ nativeVolume: 1 }),
  textOverlays: z.array(textOverlaySchema).max(LIMITS.maxOverlays).default([]),
  watermark: watermarkSchema.optional(),
  /** Opaque reference the orchestrator uses to correlate (e.g. the composite id). */
  reference: z.string().max(200).optional(),
});

/** Input shape (before defaults) — what a client sends. */
export type ComposeSpecInput = z.input<typeof composeSpecSchema>;
/** Parsed shape (defaults applied) — what the renderer consumes. */
export type ComposeSpec = z.output<typeof composeSpecSchema>;
export type CaptionCue = z.output<typeof cueSchema>;
export type TextOverlay = z.output<typeof textOverlaySchema>;

export type ComposeJobStatus = 'queued' | 'processing' | 'completed' | 'failed' | 'canceled';

export interface ComposeOutput {
  url: string;
  durationSec: number;
  width: number;
  height: number;
  sizeBytes: number;
}

export interface ComposeJobView {
  jobId: string;
  status: ComposeJobStatus;
  progress: number;
  output?: ComposeOutput;
  error?: { code: string; message: string };
}

/** First zod issue as `{field, message}` with a dotted path, for the error catalog. */
export function firstIssue(error: z.ZodError): { field: string; message: string } {
  const issue = error.issues[0];
  const field = issue.path.map(String).join('.') || 'body';
  return { field, message: `${field} ${issue.message}` };
}
