import type Router from '@koa/router';
import { join } from 'node:path';
import { AppError } from '../../../shared/src/errors.js';
import { NARRATION_FILE, narrationDir } from '../bundles/narration-cache.js';
import { sendFile } from '../http/send-file.js';
import type { OrchestratorContext } from '../orchestrator.js';
import { sourceUrls } from './index.js';
import { NARRATION_PREFIX, SOURCE_PREFIX } from './source-urls.js';

const NO_STORE = 'private, no-store';

/**
 * GET|HEAD of what the compositor fetches, behind short-lived signed URLs:
 * the generated clip of a video and cached narration WAVs. The signature
 * covers the exact path as served, so it also binds the video id or file name.
 */
export function registerSourceRoutes(router: Router, ctx: OrchestratorContext): void {
  const urls = sourceUrls(ctx);

  router.get(`${SOURCE_PREFIX}/:videoId`, async (kctx) => {
    urls.verify(kctx.path, kctx.query);
    const video = await ctx.videos.get(kctx.params.videoId!);
    if (!video || video.status !== 'completed' || !video.outputPath) throw new AppError('not_found', 'This video has no generated clip yet.');
    await sendFile(kctx, { path: video.outputPath, contentType: 'video/mp4', cacheControl: NO_STORE });
  });

  router.get(`${NARRATION_PREFIX}/:fileName`, async (kctx) => {
    const fileName = kctx.params.fileName!;
    // Only names the cache itself writes: no separators, no dots beyond ".wav".
    if (!NARRATION_FILE.test(fileName)) throw new AppError('not_found', 'No such narration file.');
    urls.verify(kctx.path, kctx.query);
    await sendFile(kctx, { path: join(narrationDir(ctx), fileName), contentType: 'audio/wav', cacheControl: NO_STORE });
  });
}
