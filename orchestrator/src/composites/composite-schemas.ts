import { z } from 'zod';
import { ASPECT_RATIOS, durationField } from '../videos/video-schemas.js';
import { codePoints } from '../http/validate.js';

export const MUSIC_MOODS = ['upbeat', 'calm', 'corporate'] as const;
export type MusicMood = (typeof MUSIC_MOODS)[number];
export const POSITIONS = ['top-left', 'top', 'top-right', 'center', 'bottom-left', 'bottom', 'bottom-right'] as const;

const MAX_CUES = 400;
const MAX_OVERLAYS = 20;
const MAX_TEXT = 500;

const id = (field: string) => z.string({ error: `${field} must be a video id string.` }).trim().min(1, `${field} must not be empty.`).max(64, `${field} is not a video id of yours.`);
const sec = (field: string) => z.number({ error: `${field} must be a number of seconds.` }).finite().min(0, `${field} must not be negative.`).max(600, `${field} must be at most 600 seconds.`);
const ranged = (field: string, min: number, max: number) =>
  z.number({ error: `${field} must be a number from ${min} to ${max}.` }).min(min, `${field} must be at least ${min}.`).max(max, `${field} must be at most ${max}.`);
const text = (field: string) =>
  z
    .string({ error: `${field} must be a string.` })
    .refine((t) => t.trim().length > 0, `${field} must not be empty.`)
    .refine((t) => codePoints(t) <= MAX_TEXT, `${field} must be at most ${MAX_TEXT} characters.`);

export const cueInput = z
  .object({ startSec: sec('captionCues[].startSec'), endSec: sec('captionCues[].endSec'), text: text('captionCues[].text') })
  .refine((c) => c.endSec > c.startSec, { message: 'captionCues[].endSec must be greater than its startSec.', path: ['endSec'] });

export const textOverlayInput = z
  .object({
    text: text('textOverlays[].text'),
    startSec: sec('textOverlays[].startSec'),
    endSec: sec('textOverlays[].endSec'),
    position: z.enum(POSITIONS, { error: `textOverlays[].position must be one of ${POSITIONS.join(', ')}.` }).default('center'),
  })
  .refine((o) => o.endSec > o.startSec, { message: 'textOverlays[].endSec must be greater than its startSec.', path: ['endSec'] });

export const audioOverrides = z
  .object({
    speechPace: ranged('audioConfig.speechPace', 0.5, 2),
    pitch: ranged('audioConfig.pitch', 0.5, 1.5),
    voiceVolume: ranged('audioConfig.voiceVolume', 0, 2),
    musicVolume: ranged('audioConfig.musicVolume', 0, 2),
    nativeVolume: ranged('audioConfig.nativeVolume', 0, 2),
    voiceStartSec: sec('audioConfig.voiceStartSec'),
    musicStartSec: sec('audioConfig.musicStartSec'),
  })
  .partial();

const music = z.union([z.boolean(), z.enum(MUSIC_MOODS)], { error: `music must be true, false or one of ${MUSIC_MOODS.join(', ')}.` });
/** `preview` renders a small frame (fast; for drafts and tests); `full` the aspect's full frame. */
const size = z.enum(['full', 'preview'], { error: 'size must be "full" or "preview".' }).default('full');

const WATERMARK_MESSAGE = 'watermarkText must be 1 to 60 characters (plans with a custom watermark only).';
/** Own watermark text, for plans that may set one (agency). */
const watermarkText = z
  .string({ error: WATERMARK_MESSAGE })
  .transform((s) => s.trim())
  .refine((s) => [...s].length >= 1 && [...s].length <= 60 && !/[\u0000-\u001f\u007f]/u.test(s), { message: WATERMARK_MESSAGE });

/** POST /api/businesses/me/video/composite. Accepts the captions route's `compositeBody` unchanged. */
export const compositeBodySchema = z.object({
  videoId: id('videoId'),
  captionCues: z.array(cueInput, { error: 'captionCues must be an array of {startSec, endSec, text}.' }).max(MAX_CUES, `captionCues must have at most ${MAX_CUES} cues.`).optional(),
  captionStyle: z.enum(['clean', 'bold'], { error: 'captionStyle must be "clean" or "bold".' }).optional(),
  burnIn: z.boolean({ error: 'burnIn must be true or false.' }).optional(),
  voice: z.boolean({ error: 'voice must be true or false.' }).optional(),
  premiumNarration: z.boolean({ error: 'premiumNarration must be true or false.' }).optional(),
  music: music.optional(),
  textOverlays: z
    .array(textOverlayInput, { error: 'textOverlays must be an array of {text, startSec, endSec, position}.' })
    .max(MAX_OVERLAYS, `textOverlays must have at most ${MAX_OVERLAYS} entries.`)
    .optional(),
  audioConfig: audioOverrides.optional(),
  watermarkText: watermarkText.optional(),
  size,
});
export type CompositeBody = z.output<typeof compositeBodySchema>;

/** POST /api/businesses/me/video/composite-clips. */
export const clipsBodySchema = z.object({
  clipIds: z
    .array(id('clipIds[]'), { error: 'clipIds must be an array of 2 to 10 video ids.' })
    .min(2, 'clipIds must list at least 2 clips.')
    .max(10, 'clipIds must list at most 10 clips.'),
  transition: z
    .object({
      type: z.enum(['cut', 'fade'], { error: 'transition.type must be "cut" or "fade".' }),
      durationSec: ranged('transition.durationSec', 0.1, 2).default(0.5),
    }, { error: 'transition must be {type: "cut"|"fade", durationSec}.' })
    .default({ type: 'cut', durationSec: 0.5 }),
  style: z.string({ error: 'style must be a string.' }).max(40, 'style must be at most 40 characters.').optional(),
  duration: durationField,
  aspect: z.enum(ASPECT_RATIOS, { error: 'aspect must be "16:9", "9:16" or "1:1".' }).default('16:9'),
  music: music.optional(),
  watermarkText: watermarkText.optional(),
  size,
});
export type ClipsBody = z.output<typeof clipsBodySchema>;

export const pollQuerySchema = z.object({
  jobToken: z.string({ error: 'jobToken is required: pass the jobToken a composite request returned.' }).min(1, 'jobToken must not be empty.').max(200, 'jobToken is not valid.'),
});
