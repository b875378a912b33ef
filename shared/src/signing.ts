import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Request signing between orchestrator and compositor, and signed source URLs.
 * Secrets are used as the UTF-8 bytes of their string form.
 *
 *   X-Timestamp: <unix seconds>
 *   X-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>
 */
export const SIGNATURE_HEADER = 'x-signature';
export const TIMESTAMP_HEADER = 'x-timestamp';
export const DEFAULT_SIGNATURE_TOLERANCE_SEC = 300;

function hmacHex(secret: string, payload: string | Buffer): string {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(payload).digest('hex');
}

/** Constant-time comparison of two hex strings of any length. */
export function safeEqualHex(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'utf8');
  const bb = Buffer.from(b, 'utf8');
  if (ab.length !== bb.length) return false;
  return timingSafeEqual(ab, bb);
}

export function signBody(secret: string, rawBody: string | Buffer, nowSec: number = Math.floor(Date.now() / 1000)): Record<string, string> {
  const timestamp = String(nowSec);
  const payload = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]);
  return { [TIMESTAMP_HEADER]: timestamp, [SIGNATURE_HEADER]: `v1=${hmacHex(secret, payload)}` };
}

export type SignatureCheck = { ok: true; signature: string } | { ok: false; reason: string };

/** Checks format, freshness and HMAC; replay detection is the caller's (it owns the seen-set). */
export function verifyBodySignature(options: {
  secret: string;
  rawBody: string | Buffer;
  timestamp: string | undefined;
  signature: string | undefined;
  nowSec?: number;
  toleranceSec?: number;
}): SignatureCheck {
  const { secret, rawBody, timestamp, signature } = options;
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  const tolerance = options.toleranceSec ?? DEFAULT_SIGNATURE_TOLERANCE_SEC;
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'X-Timestamp is missing or not Unix seconds.' };
  if (!signature) return { ok: false, reason: 'X-Signature is missing.' };
  const match = /^v1=([0-9a-f]{64})$/.exec(signature.trim());
  if (!match) return { ok: false, reason: 'X-Signature must be "v1=<hex HMAC-SHA256>".' };
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'X-Timestamp is outside the allowed window.' };
  const payload = Buffer.concat([Buffer.from(`${timestamp}.`, 'utf8'), Buffer.isBuffer(rawBody) ? rawBody : Buffer.from(rawBody, 'utf8')]);
  if (!safeEqualHex(match[1], hmacHex(secret, payload))) return { ok: false, reason: 'X-Signature does not match the body.' };
  return { ok: true, signature: match[1] };
}

/**
 * Short-lived signed URLs: `<path>?exp=<unix>&sig=<hex>` where
 * sig = HMAC(secret, "<path>\n<exp>"). The path is signed exactly as served.
 */
export function signPath(secret: string, path: string, expiresAtSec: number): string {
  const sig = hmacHex(secret, `${path}\n${expiresAtSec}`);
  const sep = path.includes('?') ? '&' : '?';
  return `${path}${sep}exp=${expiresAtSec}&sig=${sig}`;
}

export type UrlCheck = { ok: true } | { ok: false; reason: string };

export function verifySignedPath(options: { secret: string; path: string; exp: unknown; sig: unknown; nowSec?: number }): UrlCheck {
  const { secret, path, exp, sig } = options;
  const now = options.nowSec ?? Math.floor(Date.now() / 1000);
  if (typeof exp !== 'string' || !/^\d{1,12}$/.test(exp)) return { ok: false, reason: 'The URL has no valid expiry.' };
  if (typeof sig !== 'string' || !/^[0-9a-f]{64}$/.test(sig)) return { ok: false, reason: 'The URL has no valid signature.' };
  if (Number(exp) < now) return { ok: false, reason: 'The URL has expired.' };
  if (!safeEqualHex(sig, hmacHex(secret, `${path}\n${exp}`))) return { ok: false, reason: 'The URL signature does not match.' };
  return { ok: true };
}
