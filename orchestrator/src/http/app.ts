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
/** Counts requests being handled, so shutdown can wait for them even after their client hung up. */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];

  middleware(): Koa.Middleware {
    return async (_ctx, next) => {
      this.count++;
      try {
        await next();
      } finally {
        this.count--;
        if (this.count === 0) this.waiters.splice(0).forEach((w) => w());
      }
    };
  }

  /** Resolves when no request is in flight, or after `timeoutMs`. */
  idle(timeoutMs: number): Promise<void> {
    if (this.count === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export function buildApp(input: { logger: Logger; bodyLimitBytes: number; router: Router; middleware?: Koa.Middleware[]; inFlight?: InFlight; proxy?: boolean }): Koa {
  const app = new Koa({ proxy: input.proxy ?? false });
  app.silent = true;
  const { router } = input;

  if (input.inFlight) app.use(input.inFlight.middleware());
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
