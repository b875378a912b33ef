import type { Context } from 'koa';
import type Router from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import { safeEqualHex } from '../../../shared/src/signing.js';
import { addRoutes, type OrchestratorContext } from '../orchestrator.js';
import { attachMetrics, countOutcome, createMetrics, metricsMiddleware, type Metrics } from './metrics.js';
import { compositorReady, databaseReady, ffmpegReady } from './readiness.js';
import { requestLogger } from './request-logger.js';

/**
 * GET /metrics (Prometheus text), GET /readyz/full (database, compositors,
 * ffmpeg), the request metrics and request-logger middleware, and outcome
 * counters fed from the domain event bus.
 */
export function registerObservability(router: Router, ctx: OrchestratorContext): Metrics {
  const metrics = createMetrics({ db: ctx.db });
  attachMetrics(metrics, [ctx, ctx.runner]);
  ctx.middleware.push(requestLogger(ctx.logger), metricsMiddleware(metrics));
  ctx.events.on((event) => countOutcome(metrics, event));

  const token = ctx.config.observability.metricsToken;
  router.get('/metrics', async (k) => {
    if (token) {
      const presented = /^Bearer\s+(\S+)\s*$/i.exec(k.get('authorization'))?.[1] ?? '';
      if (!safeEqualHex(presented, token)) throw new AppError('unauthorized', 'Send the metrics token as "Authorization: Bearer <METRICS_TOKEN>".');
    }
    k.set('Content-Type', metrics.registry.contentType);
    k.body = await metrics.registry.metrics();
  });

  // /readyz checks everything the orchestrator needs to do its work: the database, ffmpeg and the compositors.
  const ready = async (k: Context) => {
    const [database, ffmpeg, compositors] = await Promise.all([databaseReady(ctx), ffmpegReady(ctx), compositorReady(ctx)]);
    const workersUp = compositors.filter((c) => c.status === 'ok').length;
    const checks = { database, ffmpeg, compositors };
    const problems = [
      database.status !== 'ok' && 'the database does not answer',
      ffmpeg.status !== 'ok' && 'ffmpeg/ffprobe are not runnable',
      workersUp === 0 && 'no compositor worker answers',
    ].filter(Boolean);
    if (problems.length > 0) {
      k.status = 503;
      k.body = { error: { code: 'unavailable', message: `Not ready: ${problems.join('; ')}.` }, checks };
      return;
    }
    k.body = { status: workersUp === compositors.length ? 'ready' : 'degraded', checks };
  };
  router.get('/readyz', ready);
  router.get('/readyz/full', ready);
  return metrics;
}

addRoutes((router, ctx) => {
  registerObservability(router, ctx);
});
