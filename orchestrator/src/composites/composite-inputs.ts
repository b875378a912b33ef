import type { TextOverlay } from '../../../shared/src/compose-spec.js';
import { AppError } from '../../../shared/src/errors.js';
import type { CaptionCue, SourceBundle, StoredCaptions } from '../bundles/bundle-types.js';
import type { CompositeBody } from './composite-schemas.js';

/**
 * Overlays must lie inside the video. A client's own overlays that do not are
 * a 400 naming the entry; the bundle's guidance is clamped quietly.
 */
export function clampOverlays(input: { overlays: ReadonlyArray<Partial<TextOverlay> & Pick<TextOverlay, 'text' | 'startSec' | 'endSec'>>; duration: number; fromBody: boolean }): TextOverlay[] {
  const out: TextOverlay[] = [];
  for (const [i, o] of input.overlays.entries()) {
    if (input.fromBody && o.endSec > input.duration) {
      throw new AppError('validation_failed', `textOverlays.${i}.endSec must be at most the video's ${input.duration} s.`, { field: `textOverlays.${i}.endSec` });
    }
    const endSec = Math.min(o.endSec, input.duration);
    if (endSec > o.startSec) out.push({ text: o.text, startSec: o.startSec, endSec, position: o.position ?? 'center' });
  }
  return out;
}

/**
 * The cues to burn in: the body's, else the saved ones. None when burnIn is
 * false; when it is asked for and no cues exist, a note says how to get them.
 */
export function resolveCaptions(input: {
  body: Pick<CompositeBody, 'captionCues' | 'captionStyle' | 'burnIn'>;
  stored: StoredCaptions | null;
  bundle: SourceBundle | null;
  duration: number;
  notes: string[];
}): { cues: CaptionCue[]; style: 'clean' | 'bold' } | undefined {
  const { body, stored } = input;
  const burnIn = body.burnIn ?? body.captionCues !== undefined;
  if (!burnIn) return undefined;
  const cues = body.captionCues ?? stored?.cues ?? [];
  if (cues.length === 0) {
    input.notes.push('burnIn was asked but this video has no captions yet; create them with POST /api/businesses/me/video/captions.');
    return undefined;
  }
  for (const [i, c] of cues.entries()) {
    if (c.endSec > input.duration + 0.001) {
      throw new AppError('validation_failed', `captionCues.${i}.endSec must be at most the video's ${input.duration} s.`, { field: `captionCues.${i}.endSec` });
    }
  }
  const style = body.captionStyle ?? stored?.captionStyle ?? input.bundle?.compositing?.captionStyle ?? 'clean';
  return { cues: cues.map((c) => ({ startSec: c.startSec, endSec: c.endSec, text: c.text })), style };
}
