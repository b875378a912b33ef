import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/src/errors.js';
import { requireCreatingPlan, type Access } from '../auth/access.js';
import { bundleFor } from '../bundles/build-bundle.js';
import type { CaptionCue, SourceBundle, StoredCaptions } from '../bundles/bundle-types.js';
import { ensureNarration } from '../bundles/narration-cache.js';
import { CAPTIONS_COST } from '../credits/credit-ledger.js';
import { nowIso } from '../db/time.js';
import type { OrchestratorContext } from '../orchestrator.js';
import { estimateSpeechSec } from '../providers/script/index.js';
import type { VideoRecord } from '../videos/video-repository.js';
import type { CaptionsBody } from './caption-schemas.js';
import { buildCues } from './cue-builder.js';

export interface CaptionsResult {
  captionCues: CaptionCue[];
  compositeBody: { videoId: string; captionCues: CaptionCue[]; captionStyle: 'clean' | 'bold'; burnIn: boolean };
  charged: boolean;
}

/** What the cues are timed from; equal inputs give equal cues, so they are never paid for twice. */
export function captionInputsHash(input: { script: string; bundle: SourceBundle; durationSec: number }): string {
  const { speechPace, pitch, voiceStartSec } = input.bundle.audioConfig;
  const key = JSON.stringify({ v: 1, narrator: 'local', script: input.script, speechPace, pitch, voiceStartSec, durationSec: input.durationSec });
  return createHash('sha256').update(key).digest('hex');
}

function storedCaptions(video: VideoRecord): StoredCaptions | null {
  const c = video.captions as Partial<StoredCaptions> | null;
  return c && Array.isArray(c.cues) && typeof c.inputsHash === 'string' ? (c as StoredCaptions) : null;
}

/** POST /api/businesses/me/video/captions: timed cues, saved on the video, 1 credit per new caption set. */
export async function createCaptions(ctx: OrchestratorContext, input: { access: Access; body: CaptionsBody }): Promise<CaptionsResult> {
  const { access, body } = input;
  requireCreatingPlan(access.plan);
  const video = await ctx.videos.getForBusiness(access.business.id, body.videoId);
  if (!video) throw new AppError('not_found', 'No video with this videoId in the active business; list your videos with GET /api/businesses/me/video.', { field: 'videoId' });
  if (video.status !== 'completed') {
    throw new AppError('conflict', `The video is ${video.status}; captions can be made once its status is completed.`, { field: 'videoId' });
  }
  const stored = bundleFor(video);
  const script = body.script ?? stored.script;
  const bundle: SourceBundle = body.script !== undefined ? { ...stored, script, scriptProvided: true } : stored;
  const inputsHash = captionInputsHash({ script, bundle, durationSec: video.duration });
  const chargeRef = `${video.id}:${inputsHash}`;
  const answer = (cues: CaptionCue[], charged: boolean): CaptionsResult => {
    const captionStyle = body.captionStyle ?? bundle.compositing.captionStyle;
    return { captionCues: cues, compositeBody: { videoId: video.id, captionCues: cues, captionStyle, burnIn: body.burnIn }, charged };
  };

  const saved = storedCaptions(video);
  if (saved?.inputsHash === inputsHash) {
    await keepBundleScript(ctx, video, bundle);
    return answer(saved.cues, false);
  }

  const cues = buildCues({ script, durationSec: video.duration, voiceStartSec: bundle.audioConfig.voiceStartSec, speechSec: await speechSec(ctx, bundle, script) });
  const captions: StoredCaptions = {
    cues,
    captionStyle: body.captionStyle ?? bundle.compositing.captionStyle,
    inputsHash,
    chargeRef,
    createdAt: nowIso(),
  };
  try {
    await ctx.credits.hold(
      { businessId: access.business.id, kind: 'captions', refId: chargeRef, amount: CAPTIONS_COST, limit: access.plan.monthlyCredits, state: 'charged' },
      (trx) => ctx.videos.setCaptions(video.id, captions as unknown as Record<string, unknown>, trx),
    );
  } catch (err) {
    // This caption set was already paid for (a parallel twin won the unique
    // ledger ref, or the same inputs were captioned before): never charge again.
    if ((await ctx.credits.state('captions', chargeRef)) === null) throw err;
    const now = await ctx.videos.get(video.id);
    const current = now ? storedCaptions(now) : null;
    if (current?.inputsHash !== inputsHash) await ctx.videos.setCaptions(video.id, captions as unknown as Record<string, unknown>);
    await keepBundleScript(ctx, video, bundle);
    return answer(current?.inputsHash === inputsHash ? current.cues : cues, false);
  }
  await keepBundleScript(ctx, video, bundle);
  return answer(cues, true);
}

/** The composite narrates the bundle's script: keep it equal to the words the captions show. */
async function keepBundleScript(ctx: OrchestratorContext, video: VideoRecord, bundle: SourceBundle): Promise<void> {
  const current = video.sourceBundle as Partial<SourceBundle> | null;
  if (current && current.script === bundle.script) return;
  await ctx.videos.setSourceBundle(video.id, bundle as unknown as Record<string, unknown>);
}

/** The narration's real length from the local voice; the pace estimate when synthesis fails. */
async function speechSec(ctx: OrchestratorContext, bundle: SourceBundle, script: string): Promise<number> {
  const { speechPace, pitch } = bundle.audioConfig;
  try {
    const narration = await ensureNarration({ ctx, text: script, speechPace, pitch, premium: false });
    return narration.durationSec;
  } catch (err) {
    ctx.logger.warn({ err: (err as Error).message }, 'narration failed; timing captions from the speech pace');
    return estimateSpeechSec(script, speechPace);
  }
}
