import { randomUUID } from 'node:crypto';
import Koa from 'koa';
import { errorMiddleware } from '../../../shared/src/http-errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import type { Router } from '@koa/router';

/** The compositor's Koa app: request ids, one error middleware, the route groups. */
export function createApp(logger: Logger, outer: Koa.Middleware[], routers: Router[]): Koa {
  const app = new Koa();
  app.proxy = false;
  for (const mw of outer) app.use(mw);
  app.use(async (ctx, next) => {
    ctx.state.requestId = ctx.get('x-request-id') || randomUUID();
    ctx.set('X-Request-Id', ctx.state.requestId);
    await next();
  });
  app.use(errorMiddleware(logger));
  for (const router of routers) app.use(router.routes()).use(router.allowedMethods({ throw: true }));
  return app;
}
