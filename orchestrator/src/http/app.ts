import Koa from 'koa';
import type Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { errorMiddleware } from '../../../shared/src/http-errors.js';
import type { Logger } from '../../../shared/src/logger.js';
import { requestId, requireJsonBody } from './middleware.js';

/**
 * The Koa app: request id → errors → JSON body (size-limited) → routes.
 * Parts register their own routes; this file only sets the order.
 */
export function buildApp(input: { logger: Logger; bodyLimitBytes: number; router: Router; middleware?: Koa.Middleware[]; proxy?: boolean }): Koa {
  const app = new Koa({ proxy: input.proxy ?? false });
  app.silent = true;
  const { router } = input;

  app.use(requestId);
  for (const mw of input.middleware ?? []) app.use(mw);
  app.use(async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      input.logger.debug({ requestId: ctx.state.requestId, method: ctx.method, path: ctx.path, status: ctx.status, ms }, 'request');
    }
  });
  app.use(errorMiddleware(input.logger));
  app.use(requireJsonBody);
  app.use(bodyParser({ enableTypes: ['json'], jsonLimit: input.bodyLimitBytes, jsonStrict: true, encoding: 'utf-8' }));
  app.use(router.routes());
  app.use(router.allowedMethods({ throw: false }));
  return app;
}
