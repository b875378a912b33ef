import { composeSpecSchema, type ComposeSpecInput } from '../../../shared/src/compose-spec.js';
import { AppError } from '../../../shared/src/errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import { requireCreatingPlan, type Access } from '../auth/access.js';
import type { AudioConfig, SourceBundle, StoredCaptions } from '../bundles/bundle-types.js';
import { COMPOSITE_COST, type CreditLedger } from '../credits/credit-ledger.js';
import { newId, newSecretToken } from '../db/ids.js';
import type { VideoRecord, VideoRepository } from '../videos/video-repository.js';
import { buildClipsSpec, buildSingleSpec, DURATION_TOLERANCE_SEC, type FrameSize } from './compose-spec-builder.js';
import type { ClipsBody, CompositeBody, MusicMood } from './composite-schemas.js';
import type { Advanced, CompositeLifecycle } from './composite-lifecycle.js';
import type { CompositeDetails, CompositeRecord, CompositeRepository, NewComposite } from './composite-repository.js';
import { compositeResponse } from './composite-views.js';
import type { CompositorClient } from './compositor-client.js';
import { applyPlan, watermarkFor, watermarkNote } from './plan-rules.js';
import { clampOverlays, resolveCaptions } from './composite-inputs.js';

/** Used when a video has no stored bundle (e.g. created through /api/v1). */
export const DEFAULT_AUDIO: AudioConfig = { speechPace: 1, pitch: 1, voiceVolume: 1, musicVolume: 0.25, nativeVolume: 0.5, voiceStartSec: 0.5, musicStartSec: 0 };
export const PREVIEW_FRAMES: Record<VideoRecord['aspectRatio'], FrameSize> = { '16:9': { width: 480, height: 270 }, '9:16': { width: 270, height: 480 }, '1:1': { width: 360, height: 360 } };

export type Narrate = (input: { text: string; speechPace: number; pitch: number; premium: boolean }) => Promise<{ fileName: string }>;

export interface CompositeUrls {
  video(videoId: string): string;
  narration(fileName: string): string;
  music(mood: MusicMood): string;
}

export interface CompositeServiceDeps {
  composites: CompositeRepository;
  credits: CreditLedger;
  videos: VideoRepository;
  lifecycle: CompositeLifecycle;
  client: CompositorClient;
  urls: CompositeUrls;
  narrate: Narrate;
  logger: Logger;
  waitMs: number;
  /** Between status checks while a request waits for its render. */
  waitPollMs?: number;
}

export interface CompositeAnswer {
  httpStatus: number;
  body: Record<string, unknown>;
}

/** Creates composites (single source and multi-clip), waits briefly for them, and answers polls. */
export class CompositeService {
  constructor(private readonly deps: CompositeServiceDeps) {}

  async createSingle(access: Access, body: CompositeBody): Promise<CompositeAnswer> {
    requireCreatingPlan(access.plan);
    const video = await this.completedVideo(access, body.videoId, 'videoId');
    const bundle = video.sourceBundle as SourceBundle | null;
    const audio: AudioConfig = { ...DEFAULT_AUDIO, ...(bundle?.audioConfig ?? {}), ...(body.audioConfig ?? {}) };
    for (const key of ['voiceStartSec', 'musicStartSec'] as const) {
      if (audio[key] >= video.duration) throw new AppError('validation_failed', `audioConfig.${key} must be less than the video's ${video.duration} s.`, { field: `audioConfig.${key}` });
    }
    const notes: string[] = [];
    const script = bundle?.script?.trim() ?? '';
    if (body.voice && !script) notes.push('This video has no script, so no narration was added; create the video from the dashboard with a script.');
    const overlays = clampOverlays({ overlays: body.textOverlays ?? bundle?.compositing?.textOverlays ?? [], duration: video.duration, fromBody: body.textOverlays !== undefined });
    const decision = applyPlan(access.plan, {
      voice: (body.voice ?? true) && script.length > 0,
      premiumNarration: body.premiumNarration ?? false,
      music: body.music !== false,
      textOverlays: overlays.length > 0,
    });
    notes.push(...decision.notes);
    const output = outputFor(access, body, video.aspectRatio, notes);
    const captions = resolveCaptions({ body, stored: video.captions as StoredCaptions | null, bundle, duration: video.duration, notes });

    // Narration first (premium availability included): a 503 here holds nothing.
    let voiceUrl: string | undefined;
    if (decision.allowed.voice) {
      const narration = await this.deps.narrate({ text: script, speechPace: audio.speechPace, pitch: audio.pitch, premium: decision.allowed.premiumNarration });
      voiceUrl = this.deps.urls.narration(narration.fileName);
    }
    const mood = moodFor(body.music, bundle);
    const id = newId('cmp');
    const spec = buildSingleSpec({
      reference: id,
      duration: video.duration,
      aspect: video.aspectRatio,
      ...output,
      sourceUrl: this.deps.urls.video(video.id),
      audioConfig: audio,
      voiceUrl,
      musicUrl: decision.allowed.music ? this.deps.urls.music(mood) : undefined,
      captions,
      textOverlays: decision.allowed.textOverlays ? overlays : [],
    });
    return this.launch({ access, id, kind: 'single', videoIds: [video.id], duration: video.duration, aspect: video.aspectRatio, spec, details: { dropped: decision.dropped, notes } });
  }

  async createClips(access: Access, body: ClipsBody): Promise<CompositeAnswer> {
    requireCreatingPlan(access.plan);
    const clips: VideoRecord[] = [];
    for (const [i, clipId] of body.clipIds.entries()) clips.push(await this.completedVideo(access, clipId, `clipIds.${i}`));
    const first = clips[0].sourceBundle as SourceBundle | null;
    const firstAudio = { ...DEFAULT_AUDIO, ...(first?.audioConfig ?? {}) };
    const decision = applyPlan(access.plan, { voice: false, premiumNarration: false, music: body.music !== false, textOverlays: false });
    const mood = moodFor(body.music, first);
    const notes = [...decision.notes];
    const output = outputFor(access, body, body.aspect, notes);
    if (body.style) notes.push(`Style "${body.style}" is recorded; the stitch uses the clips as generated.`);
    const id = newId('cmp');
    const spec = buildClipsSpec({
      reference: id,
      duration: body.duration,
      aspect: body.aspect,
      ...output,
      clips: clips.map((c) => ({ url: this.deps.urls.video(c.id), durationSec: clipSeconds(c) })),
      transition: body.transition,
      nativeVolume: firstAudio.nativeVolume,
      music: decision.allowed.music ? { url: this.deps.urls.music(mood), volume: firstAudio.musicVolume, startSec: 0 } : undefined,
    });
    return this.launch({ access, id, kind: 'clips', videoIds: clips.map((c) => c.id), duration: body.duration, aspect: body.aspect, spec, details: { dropped: decision.dropped, notes } });
  }

  /** GET: the composite this business's token names (404 for anyone else's), advanced once. */
  async poll(access: Access, jobToken: string): Promise<CompositeAnswer> {
    const record = await this.deps.composites.getByToken(access.business.id, jobToken);
    if (!record) throw new AppError('not_found', 'No composite job with this jobToken in your business; use the jobToken your composite request returned.', { field: 'jobToken' });
    const state = await this.deps.lifecycle.advance(record);
    return { httpStatus: 200, body: compositeResponse(state) };
  }

  private async completedVideo(access: Access, videoId: string, field: string): Promise<VideoRecord> {
    const video = await this.deps.videos.getForBusiness(access.business.id, videoId);
    if (!video) throw new AppError('not_found', `No video "${videoId}" in your business; use the id of one of your generated videos.`, { field });
    if (video.status === 'processing') throw new AppError('conflict', `Video "${videoId}" is still generating; wait until its status is completed and try again.`, { field });
    if (video.status !== 'completed' || !video.outputPath) throw new AppError('conflict', `Video "${videoId}" failed to generate and cannot be composited; generate a new video.`, { field });
    return video;
  }

  /** Holds the credit with the row, submits, and waits up to waitMs for the render. */
  private async launch(input: {
    access: Access;
    id: string;
    kind: NewComposite['kind'];
    videoIds: string[];
    duration: VideoRecord['duration'];
    aspect: VideoRecord['aspectRatio'];
    spec: ComposeSpecInput;
    details: CompositeDetails;
  }): Promise<CompositeAnswer> {
    const checked = composeSpecSchema.safeParse(input.spec);
    if (!checked.success) {
      this.deps.logger.error({ issues: checked.error.issues, compositeId: input.id }, 'built an invalid compose spec');
      throw new AppError('internal_error', 'The composite could not be prepared; try again later.');
    }
    const { access } = input;
    const jobToken = newSecretToken('cjt');
    await this.deps.credits.hold(
      { businessId: access.business.id, kind: 'composite', refId: input.id, amount: COMPOSITE_COST, limit: access.plan.monthlyCredits },
      (trx) =>
        this.deps.composites.insert(
          {
            id: input.id,
            businessId: access.business.id,
            userId: access.actor.userId,
            kind: input.kind,
            videoIds: input.videoIds,
            jobToken,
            duration: input.duration,
            aspectRatio: input.aspect,
            toleranceSec: DURATION_TOLERANCE_SEC,
            details: input.details,
          },
          trx,
        ),
    );
    const record = (await this.deps.composites.get(input.id))!;
    const submitted = await this.deps.client.submit(input.spec);
    if (submitted.kind !== 'accepted') {
      const message =
        submitted.kind === 'unavailable'
          ? 'The compositor is not reachable right now, so the composite was not started and nothing was charged; try again in a minute.'
          : `The compositor refused the render (${submitted.message}); nothing was charged. Check the request and try again.`;
      this.deps.logger.warn({ compositeId: input.id, outcome: submitted }, 'compositor submit failed');
      await this.deps.lifecycle.end(record, { status: 'failed', code: 'compositor_unavailable', message });
      throw new AppError('bad_gateway', message);
    }
    await this.deps.composites.setSubmitted(input.id, { workerUrl: submitted.workerUrl, jobId: submitted.jobId });
    const state = await this.waitForRender(input.id);
    return { httpStatus: state.record.status === 'processing' ? 202 : 200, body: compositeResponse({ ...state, jobToken }) };
  }

  private async waitForRender(id: string): Promise<Advanced> {
    const deadline = Date.now() + this.deps.waitMs;
    let state: Advanced = { record: (await this.deps.composites.get(id)) as CompositeRecord, progress: 0 };
    while (state.record.status === 'processing' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, Math.max(1, Math.min(this.deps.waitPollMs ?? 400, deadline - Date.now()))));
      const fresh = await this.deps.composites.get(id);
      if (!fresh) break;
      state = await this.deps.lifecycle.advance(fresh);
    }
    return state;
  }
}

/** The mood asked for, else the bundle's guidance, else upbeat. */
function moodFor(music: CompositeBody['music'], bundle: SourceBundle | null): MusicMood {
  return typeof music === 'string' ? music : (bundle?.compositing?.musicMood ?? 'upbeat');
}

/** What every composite's output takes from the request and plan: the frame for `size` and the watermark (noting a refused own text). */
function outputFor(access: Access, body: { size: 'full' | 'preview'; watermarkText?: string }, aspect: VideoRecord['aspectRatio'], notes: string[]) {
  const refused = watermarkNote(access.plan, body.watermarkText);
  if (refused) notes.push(refused);
  return {
    frame: body.size === 'preview' ? PREVIEW_FRAMES[aspect] : undefined,
    watermarkText: watermarkFor(access.plan, access.business, body.watermarkText),
  };
}

function clipSeconds(video: VideoRecord): number {
  const probed = Number(video.outputMeta?.durationSec);
  return Number.isFinite(probed) && probed > 0 ? probed : video.duration;
}
