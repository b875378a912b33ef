import type Koa from 'koa';
import type { Logger } from '../../../shared/src/logger.js';

/**
 * Puts a child logger carrying the request id on `ctx.state.logger`, so a
 * handler's every log line can be joined with the access log and the
 * X-Request-Id the client saw. Must run after the request-id middleware.
 */
export function requestLogger(logger: Logger): Koa.Middleware {
  return async (ctx, next) => {
    ctx.state.logger = logger.child({ requestId: ctx.state.requestId });
    await next();
  };
}
