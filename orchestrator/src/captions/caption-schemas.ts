import { z } from 'zod';
import { codePoints } from '../http/validate.js';

export const MAX_SCRIPT_CHARS = 2000;
const SCRIPT_MESSAGE = `script must be a string of 1 to ${MAX_SCRIPT_CHARS} characters with the words to narrate.`;

/** A narration script: kept verbatim, but it must say something and fit a 30 s slot many times over. */
export const scriptField = z
  .string({ error: SCRIPT_MESSAGE })
  .refine((s) => s.trim() !== '', { message: 'script is empty: write the words to narrate, or leave script out to use the generated one.' })
  .refine((s) => codePoints(s) <= MAX_SCRIPT_CHARS, { message: `script is too long: use at most ${MAX_SCRIPT_CHARS} characters.` });

export const captionStyleField = z.enum(['clean', 'bold'], { error: 'captionStyle must be "clean" or "bold".' });

export const captionsBodySchema = z.object({
  videoId: z.string({ error: 'videoId must be the id of one of your videos, e.g. "vid_…".' }).min(1, { message: 'videoId must be the id of one of your videos, e.g. "vid_…".' }),
  script: scriptField.optional(),
  captionStyle: captionStyleField.optional(),
  burnIn: z.boolean({ error: 'burnIn must be true or false.' }).default(true),
});
export type CaptionsBody = z.output<typeof captionsBodySchema>;
