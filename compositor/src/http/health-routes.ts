import { Router } from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import type { FfmpegCapabilities } from '../ffmpeg/ffmpeg-adapter.js';

export interface HealthDeps {
  /** Runs ffmpeg and ffprobe; rejects when either is missing or broken. */
  checkFfmpeg: () => Promise<FfmpegCapabilities>;
  stats: () => { queued: number; running: number };
}

export function healthRoutes(deps: HealthDeps): Router {
  const router = new Router();
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    let caps: FfmpegCapabilities;
    try {
      caps = await deps.checkFfmpeg();
    } catch (err) {
      throw new AppError('unavailable', `ffmpeg/ffprobe are not runnable: ${(err as Error).message}`);
    }
    ctx.body = { status: 'ready', ffmpeg: caps.version, xfade: caps.hasXfade, ...deps.stats() };
  });
  return router;
}
