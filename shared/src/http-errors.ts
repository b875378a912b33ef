import type { Context, Next } from 'koa';
import { AppError, ERROR_CATALOG, errorBody } from './errors.js';
import type { Logger } from './logger.js';

/**
 * Maps every thrown error to the catalog's body and status, in one place.
 * Errors raised by Koa's own helpers (body parser, ctx.throw) keep their 4xx
 * status; anything unknown is logged with the request id and answers a
 * generic 500 so internals never leak to clients.
 */
export function errorMiddleware(logger: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.body === undefined || ctx.body === null) {
        if (ctx.status === 404) throw new AppError('not_found', `No route for ${ctx.method} ${ctx.path}.`);
        if (ctx.status === 405) throw new AppError('method_not_allowed', `${ctx.method} is not allowed on ${ctx.path}; use ${ctx.response.get('Allow') || 'another method'}.`);
      }
    } catch (err) {
      const { status, body, headers } = toResponse(err);
      if (status >= 500) {
        logger.error({ err, requestId: ctx.state.requestId, path: ctx.path }, 'request failed');
      }
      ctx.status = status;
      ctx.body = body;
      if (headers) ctx.set(headers);
    }
  };
}

function toResponse(err: unknown): { status: number; body: object; headers?: Record<string, string> } {
  if (err instanceof AppError) return { status: err.status, body: err.toBody(), headers: err.headers };
  const e = err as { status?: number; statusCode?: number; type?: string; expose?: boolean; message?: string };
  const status = e?.status ?? e?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    if (status === 413) return { status, body: errorBody('payload_too_large', 'The request body is too large; send a smaller body.') };
    if (status === 415) return { status, body: errorBody('unsupported_media_type', 'Send the body as application/json.') };
    if (/prototype/i.test(e.message ?? '')) {
      return { status: 400, body: errorBody('invalid_json', 'The request body contains a forbidden "__proto__" or "constructor" key; remove it.') };
    }
    if (e.type === 'entity.parse.failed' || /json/i.test(e.message ?? '')) {
      return { status: 400, body: errorBody('invalid_json', 'The request body is not valid JSON; send a JSON object.') };
    }
    const code = (Object.keys(ERROR_CATALOG) as (keyof typeof ERROR_CATALOG)[]).find((k) => ERROR_CATALOG[k] === status) ?? 'invalid_request';
    return { status, body: errorBody(code, e.expose && e.message ? e.message : 'The request could not be processed.') };
  }
  return { status: 500, body: errorBody('internal_error', 'Something went wrong on our side; try again later.') };
}
