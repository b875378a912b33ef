import { isIP } from 'node:net';
import { AppError } from '../../../shared/src/errors.js';
import { bareHost, hostAllowed, isPrivateAddress } from './address-policy.js';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface WebhookUrlPolicy {
  allowedHosts: readonly string[];
  allowPrivate: boolean;
}

/**
 * Checks a webhook URL a business submits: http(s) only, no credentials, a
 * bounded length, an allowed host, and (unless allowed) no literal address
 * inside the network. Returns the normalized URL.
 */
export function checkWebhookUrl(raw: string, policy: WebhookUrlPolicy): string {
  const fail = (message: string) => new AppError('validation_failed', message, { field: 'url' });
  const text = raw.trim();
  if (text.length === 0) throw fail('url must be an http(s) URL such as "https://example.com/hooks/neariq".');
  if (text.length > MAX_WEBHOOK_URL_LENGTH) throw fail(`url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters; use a shorter endpoint URL.`);
  if (!URL.canParse(text)) throw fail('url is not a valid URL; send an absolute http(s) URL such as "https://example.com/hooks/neariq".');
  const url = new URL(text);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw fail(`url must use http or https (got "${url.protocol.replace(/:$/, '')}").`);
  if (url.username || url.password) throw fail('url must not contain a user name or password; verify deliveries with the X-NearIQ-Signature header instead.');
  if (!url.hostname) throw fail('url must name a host.');
  if (url.hash) throw fail('url must not contain a #fragment.');
  if (!hostAllowed(url.hostname, policy.allowedHosts)) {
    throw fail(`url host ${url.hostname} is not allowed on this server; allowed hosts: ${policy.allowedHosts.join(', ')}.`);
  }
  if (!policy.allowPrivate) {
    const host = bareHost(url.hostname).toLowerCase();
    const literal = isIP(host) !== 0;
    if ((literal && isPrivateAddress(host)) || host === 'localhost' || host.endsWith('.localhost')) {
      throw fail('url must point at a public host; loopback and private network addresses are not allowed on this server.');
    }
  }
  return url.toString();
}
