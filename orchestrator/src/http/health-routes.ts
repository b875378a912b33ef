import type Router from '@koa/router';

/** Liveness: the process answers. Readiness (/readyz: database, ffmpeg, compositors) lives in observability/. */
export function registerHealthRoutes(router: Router): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
}
