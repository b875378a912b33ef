import type { Context, Next } from 'koa';
import { AppError } from '../../../shared/src/errors.js';
import { SIGNATURE_HEADER, TIMESTAMP_HEADER, verifyBodySignature } from '../../../shared/src/signing.js';
import type { SharedReplayStore } from './replay-store.js';

/** Reads the raw body with a byte cap; the signature covers these exact bytes. */
export async function readRawBody(ctx: Context, maxBytes: number): Promise<Buffer> {
  const declared = Number(ctx.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    throw new AppError('payload_too_large', `The body is ${declared} bytes; a compose spec may be at most ${maxBytes} bytes.`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new AppError('payload_too_large', `The body is larger than ${maxBytes} bytes, the limit for a compose spec.`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** HMAC over "<timestamp>.<raw body>", fresh, and never seen before; 401 otherwise. */
export function signedBody(options: { secret: string; maxBytes: number; replay: Pick<SharedReplayStore, 'remember'> }) {
  return async function verifySigned(ctx: Context, next: Next): Promise<void> {
    const rawBody = await readRawBody(ctx, options.maxBytes);
    const check = verifyBodySignature({
      secret: options.secret,
      rawBody,
      timestamp: ctx.get(TIMESTAMP_HEADER) || undefined,
      signature: ctx.get(SIGNATURE_HEADER) || undefined,
    });
    if (!check.ok) throw new AppError('invalid_signature', check.reason);
    if (!(await options.replay.remember(check.signature))) throw new AppError('invalid_signature', 'This signature was already used; sign every request afresh.');
    ctx.state.rawBody = rawBody;
    await next();
  };
}
