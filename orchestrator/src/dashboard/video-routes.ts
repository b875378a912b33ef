import type Router from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import { requireCreatingPlan, sessionAccess, type Access } from '../auth/access.js';
import { resolveAudioConfig } from '../bundles/audio-config.js';
import { buildSourceBundle } from '../bundles/build-bundle.js';
import { sendFile } from '../http/send-file.js';
import { parseWith } from '../http/validate.js';
import type { OrchestratorContext } from '../orchestrator.js';
import { validateIdempotencyKey } from '../videos/video-service.js';
import { createBundleSchema, getVideoQuery } from './dashboard-schemas.js';
import { dashboardVideoView, VIDEO_ROUTE } from './dashboard-views.js';

/** POST and GET /api/businesses/me/video: clips with their commercial source bundle. */
export function registerVideoRoutes(router: Router, ctx: OrchestratorContext): void {
  router.post(VIDEO_ROUTE, sessionAccess(ctx.access, 'create'), async (kctx) => {
    const access = kctx.state.access as Access;
    requireCreatingPlan(access.plan);
    const idempotencyKey = validateIdempotencyKey(kctx.get('idempotency-key') || undefined);
    const body = parseWith(createBundleSchema, kctx.request.body);
    const bundle = buildSourceBundle({
      prompt: body.prompt,
      duration: body.duration,
      aspectRatio: body.aspectRatio,
      style: body.style,
      script: body.script,
      audioConfig: resolveAudioConfig(body.audioConfig, body.duration),
    });
    const result = await ctx.videoService.create({
      access,
      body: { prompt: body.prompt, duration: body.duration, aspectRatio: body.aspectRatio },
      idempotencyKey,
      sourceBundle: () => bundle as unknown as Record<string, unknown>,
      fingerprint: { style: body.style, script: body.script ?? null, audioConfig: bundle.audioConfig },
    });
    if (result.replayed) kctx.set('Idempotent-Replayed', 'true');
    kctx.status = 202;
    kctx.body = { video: dashboardVideoView(result.video) };
  });

  router.get(VIDEO_ROUTE, sessionAccess(ctx.access, 'read'), async (kctx) => {
    const access = kctx.state.access as Access;
    const query = parseWith(getVideoQuery, { ...kctx.query });
    if (query.videoId === undefined) {
      if (query.download) throw new AppError('validation_failed', 'download needs a videoId: add ?videoId=<id>&download=1.', { field: 'videoId' });
      kctx.body = await ctx.videoService.list({ access, status: query.status, limit: query.limit });
      return;
    }
    const video = await ctx.videos.getForBusiness(access.business.id, query.videoId);
    if (!video) throw new AppError('not_found', 'No video with this videoId in the active business; list your videos with GET /api/businesses/me/video.', { field: 'videoId' });
    if (!query.download) {
      kctx.body = { video: dashboardVideoView(video) };
      return;
    }
    if (video.status !== 'completed' || !video.outputPath) {
      const why = video.status === 'failed' ? `generation failed (${video.error ?? 'no reason given'}); create a new video` : 'it is still processing; poll this route without download=1 until status is completed';
      throw new AppError('conflict', `The video cannot be downloaded: ${why}.`, { field: 'videoId' });
    }
    await sendFile(kctx, { path: video.outputPath, contentType: 'video/mp4', downloadName: `${video.id}.mp4` });
  });
}
