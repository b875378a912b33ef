import { expect } from 'chai';
import { AppError } from '../../../shared/src/errors.js';
import { isPrivateAddress, hostAllowed } from '../../src/webhooks/address-policy.js';
import { nextRetryDelay } from '../../src/webhooks/retry-schedule.js';
import { checkWebhookUrl, type WebhookUrlPolicy } from '../../src/webhooks/webhook-url.js';
import { sendWebhook } from '../../src/webhooks/webhook-sender.js';

const open: WebhookUrlPolicy = { allowedHosts: [], allowPrivate: false };

function rejection(url: string, policy = open): AppError {
  try {
    checkWebhookUrl(url, policy);
  } catch (err) {
    return err as AppError;
  }
  throw new Error(`expected ${url} to be refused`);
}

describe('webhook URL policy', () => {
  it('accepts public http(s) URLs and normalizes them', () => {
    expect(checkWebhookUrl(' https://Hooks.Example.com/in?x=1 ', open)).to.equal('https://hooks.example.com/in?x=1');
    expect(checkWebhookUrl('http://example.com:8080/a', open)).to.equal('http://example.com:8080/a');
  });

  const refused: Array<[string, RegExp]> = [
    ['file:///etc/passwd', /http or https \(got "file"\)/],
    ['ftp://example.com/x', /http or https \(got "ftp"\)/],
    ['javascript:alert(1)', /http or https/],
    ['http://user:pass@example.com/', /user name or password/],
    ['https://token@example.com/', /user name or password/],
    ['not a url', /not a valid URL/],
    [`https://example.com/${'a'.repeat(5000)}`, /at most 2048 characters/],
    ['http://127.0.0.1:8080/', /public host/],
    ['http://2130706433/', /public host/], // 127.0.0.1 in decimal
    ['http://[::1]/', /public host/],
    ['http://[::ffff:10.0.0.1]/', /public host/],
    ['http://169.254.169.254/latest/meta-data', /public host/],
    ['http://192.168.1.10/', /public host/],
    ['http://localhost:3000/', /public host/],
  ];
  for (const [url, message] of refused) {
    it(`refuses ${url.slice(0, 40)} with 400 validation_failed`, () => {
      const err = rejection(url);
      expect(err).to.be.instanceOf(AppError);
      expect(err.status).to.equal(400);
      expect(err.field).to.equal('url');
      expect(err.message).to.match(message);
    });
  }

  it('allows private targets only when the operator says so', () => {
    expect(checkWebhookUrl('http://127.0.0.1:9/x', { allowedHosts: [], allowPrivate: true })).to.equal('http://127.0.0.1:9/x');
  });

  it('applies WEBHOOK_ALLOWED_HOSTS: exact hosts and *.subdomain entries', () => {
    const policy = { allowedHosts: ['hooks.acme.test', '*.partner.test'], allowPrivate: false };
    expect(checkWebhookUrl('https://hooks.acme.test/x', policy)).to.equal('https://hooks.acme.test/x');
    expect(checkWebhookUrl('https://a.b.partner.test/x', policy)).to.equal('https://a.b.partner.test/x');
    expect(rejection('https://partner.test/x', policy).message).to.match(/not allowed on this server/);
    expect(rejection('https://evil-hooks.acme.test/x', policy).message).to.match(/not allowed/);
    expect(rejection('https://evilpartner.test/x', policy).message).to.match(/not allowed/);
    expect(hostAllowed('anything.test', [])).to.equal(true);
  });

  it('classifies addresses', () => {
    for (const a of ['127.0.0.1', '10.1.2.3', '172.20.0.1', '192.168.0.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '::1', 'fd00::1', 'fe80::1', '::ffff:127.0.0.1', '::ffff:7f00:1']) {
      expect(isPrivateAddress(a), a).to.equal(true);
    }
    for (const a of ['8.8.8.8', '93.184.216.34', '172.32.0.1', '2606:4700::1111']) expect(isPrivateAddress(a), a).to.equal(false);
  });

  it('the sender refuses a private literal address at delivery time too', async () => {
    const result = await sendWebhook({ url: 'http://127.0.0.1:9/x', secret: 's', eventId: 'evt_1', eventType: 'video.completed', body: '{}' }, { timeoutMs: 1000, allowPrivate: false });
    expect(result).to.deep.include({ ok: false, statusCode: null });
  });

  it('the sender refuses a name that resolves to loopback at connect time', async () => {
    const result = await sendWebhook({ url: 'http://localhost:9/x', secret: 's', eventId: 'evt_1', eventType: 'video.completed', body: '{}' }, { timeoutMs: 1000, allowPrivate: false });
    expect(result.ok).to.equal(false);
    if (!result.ok) expect(result.error).to.match(/private addresses/);
  });
});

describe('webhook retry schedule', () => {
  const base = { maxAttempts: 5, baseMs: 1000, maxMs: 6000, random: () => 0 };
  it('doubles from the base delay, caps it, and stops after the last attempt', () => {
    expect([1, 2, 3, 4].map((n) => nextRetryDelay({ ...base, failedAttempts: n }))).to.deep.equal([1000, 2000, 4000, 6000]);
    expect(nextRetryDelay({ ...base, failedAttempts: 5 })).to.equal(null);
  });
  it('adds at most 10 % jitter', () => {
    expect(nextRetryDelay({ ...base, failedAttempts: 2, random: () => 0.999 })).to.equal(2199);
  });
});
