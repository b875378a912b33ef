import type { Context, Next } from 'koa';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/src/errors.js';

/** Every request gets an id (kept from X-Request-Id when sane) echoed back and put on its log lines. */
export async function requestId(ctx: Context, next: Next): Promise<void> {
  const given = ctx.get('x-request-id');
  ctx.state.requestId = /^[\w.-]{1,100}$/.test(given) ? given : randomUUID();
  ctx.set('X-Request-Id', ctx.state.requestId);
  await next();
}

/** A body sent to a JSON route must say it is JSON; anything else is 415, not a confusing 400. */
export async function requireJsonBody(ctx: Context, next: Next): Promise<void> {
  const hasBody = Number(ctx.get('content-length') || 0) > 0 || Boolean(ctx.get('transfer-encoding'));
  if (['POST', 'PUT', 'PATCH'].includes(ctx.method) && hasBody && !ctx.is('application/json')) {
    throw new AppError('unsupported_media_type', 'Send the body as JSON with "Content-Type: application/json".');
  }
  await next();
}
