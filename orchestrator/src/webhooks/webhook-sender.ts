import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { signBody } from '../../../shared/src/signing.js';
import { bareHost, isPrivateAddress } from './address-policy.js';

export interface WebhookRequest {
  url: string;
  secret: string;
  eventId: string;
  eventType: string;
  body: string;
}

export type SendResult = { ok: true; statusCode: number } | { ok: false; statusCode: number | null; error: string };

export type WebhookSend = (request: WebhookRequest, options: { timeoutMs: number; allowPrivate: boolean; signal?: AbortSignal }) => Promise<SendResult>;

/** The headers of one attempt: a fresh timestamp and its signature over "<ts>.<body>". */
export function webhookHeaders(request: WebhookRequest, nowSec?: number): Record<string, string> {
  const signed = signBody(request.secret, request.body, nowSec);
  return {
    'content-type': 'application/json',
    'user-agent': 'NearIQ-Webhooks/1',
    'x-neariq-event': request.eventType,
    'x-neariq-event-id': request.eventId,
    'x-neariq-timestamp': signed['x-timestamp'],
    'x-neariq-signature': signed['x-signature'],
  };
}

/** A DNS lookup that refuses names resolving inside the network, checked at connect time (no rebinding window). */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, '', 0);
      const usable = allowPrivate ? addresses : addresses.filter((a) => !isPrivateAddress(a.address));
      if (usable.length === 0) {
        const refused = Object.assign(new Error(`${hostname} resolves only to private addresses`), { code: 'EADDRNOTAVAIL' });
        return callback(refused, '', 0);
      }
      if (options.all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, usable);
      callback(null, usable[0].address, usable[0].family);
    });
  };
}

/**
 * One POST of a webhook body. Redirects are not followed (a 3xx is a failed
 * attempt), the response body is drained and ignored, and the whole exchange
 * is bounded by the timeout.
 */
export const sendWebhook: WebhookSend = (request, options) =>
  new Promise<SendResult>((resolve) => {
    const url = new URL(request.url);
    const host = bareHost(url.hostname);
    if (!options.allowPrivate && isIP(host) !== 0 && isPrivateAddress(host)) {
      resolve({ ok: false, statusCode: null, error: `${host} is a private address; deliveries there are not allowed.` });
      return;
    }
    const signal = options.signal ? AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]) : AbortSignal.timeout(options.timeoutMs);
    const body = Buffer.from(request.body, 'utf8');
    const client = url.protocol === 'https:' ? https : http;
    const req = client.request(url, {
      method: 'POST',
      headers: { ...webhookHeaders(request), 'content-length': String(body.length) },
      lookup: guardedLookup(options.allowPrivate),
      signal,
      agent: false,
    });
    req.on('response', (res) => {
      const statusCode = res.statusCode ?? 0;
      res.on('error', () => undefined);
      res.resume();
      res.on('end', () => {
        if (statusCode >= 200 && statusCode < 300) resolve({ ok: true, statusCode });
        else resolve({ ok: false, statusCode, error: `The endpoint answered HTTP ${statusCode}.` });
      });
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const reason = signal.aborted ? `No answer within ${options.timeoutMs} ms.` : `${err.code ?? 'error'}: ${err.message}`;
      resolve({ ok: false, statusCode: null, error: reason });
    });
    req.end(body);
  });
