import { expect } from 'chai';
import { verifyBodySignature } from '../../../shared/src/signing.js';
import { createLogger } from '../../../shared/src/logger.js';
import { startFakeReplicate } from '../../../fixtures/fake-replicate/server.js';
import { WebhookDeliverer } from '../../src/webhooks/webhook-deliverer.js';
import { WebhookRepository } from '../../src/webhooks/webhook-repository.js';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';
import { startReceiver, type Receiver } from './receiver.js';

const HOOK = '/api/businesses/me/webhook';
const VIDEO = '/api/v1/video';
const FAST = { WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_BASE_MS: '50', WEBHOOK_POLL_INTERVAL_MS: '50', WEBHOOK_TIMEOUT_MS: '2000' };

async function createVideo(server: TestServer, key: string, prompt = 'Webhook test clip') {
  const res = await request(server.url + VIDEO, { method: 'POST', token: key, body: { prompt, duration: 5, aspectRatio: '1:1' } });
  expect(res.status).to.equal(202);
  return res.body.id as string;
}

describe(`webhooks (${dbKind})`, function () {
  this.timeout(120_000);
  let server: TestServer;
  let receiver: Receiver;

  afterEach(async () => {
    await server?.close();
    await receiver?.close();
  });

  it('registers a URL, then delivers video.completed once, signed with the secret', async () => {
    server = await startTestOrchestrator(FAST);
    receiver = await startReceiver();
    const t = await seedTenant(server);
    const put = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: receiver.url } });
    expect(put.status).to.equal(201);
    expect(put.body.url).to.equal(receiver.url);
    expect(put.body.secret).to.match(/^whsec_[0-9a-f]{64}$/);
    const got = await request(server.url + HOOK, { token: t.sessionToken });
    expect(got.status).to.equal(200);
    expect(got.body.url).to.equal(receiver.url);
    expect(got.body).to.not.have.property('secret');

    const videoId = await createVideo(server, t.writeKey);
    const hook = await waitFor(async () => receiver.received[0], 60_000);
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).to.have.length(1);

    expect(hook.headers['content-type']).to.equal('application/json');
    expect(hook.headers['x-neariq-event']).to.equal('video.completed');
    expect(hook.headers['x-neariq-event-id']).to.equal(hook.json.id);
    expect(hook.json.id).to.match(/^evt_/);
    expect(hook.json).to.include({ type: 'video.completed', businessId: t.businessId });
    expect(Date.parse(hook.json.createdAt)).to.be.closeTo(Date.now(), 120_000);
    expect(hook.json.data).to.include({ id: videoId, status: 'completed' });

    const check = verifyBodySignature({
      secret: put.body.secret,
      rawBody: hook.body,
      timestamp: hook.headers['x-neariq-timestamp'] as string,
      signature: hook.headers['x-neariq-signature'] as string,
    });
    expect(check.ok).to.equal(true);
    const forged = verifyBodySignature({ secret: 'whsec_wrong', rawBody: hook.body, timestamp: hook.headers['x-neariq-timestamp'] as string, signature: hook.headers['x-neariq-signature'] as string });
    expect(forged.ok).to.equal(false);
  });

  it('retries a failing receiver with backoff: 500, 503, then 200 = the same event three times', async () => {
    server = await startTestOrchestrator(FAST);
    receiver = await startReceiver([500, 503]);
    const t = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: receiver.url } });
    await createVideo(server, t.writeKey);
    await waitFor(async () => receiver.received.length >= 3, 60_000);
    await new Promise((r) => setTimeout(r, 400));
    expect(receiver.received).to.have.length(3);
    const ids = new Set(receiver.received.map((h) => h.headers['x-neariq-event-id']));
    expect([...ids]).to.have.length(1);
    expect(new Set(receiver.received.map((h) => h.body)).size).to.equal(1); // byte-identical body on every retry
    const repo = new WebhookRepository(server.handle.ctx.db);
    const delivery = await repo.delivery(receiver.received[0].json.id);
    expect(delivery).to.deep.include({ status: 'delivered', attempts: 3, lastStatusCode: 200, lastError: null });
  });

  it('gives up after WEBHOOK_MAX_ATTEMPTS and marks the delivery failed', async () => {
    server = await startTestOrchestrator({ ...FAST, WEBHOOK_MAX_ATTEMPTS: '2' });
    receiver = await startReceiver([500, 500, 500, 500]);
    const t = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: receiver.url } });
    await createVideo(server, t.writeKey);
    const repo = new WebhookRepository(server.handle.ctx.db);
    const failed = await waitFor(async () => (await repo.deliveries(t.businessId)).find((d) => d.status === 'failed'), 60_000);
    expect(failed).to.deep.include({ attempts: 2, lastStatusCode: 500 });
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).to.have.length(2);
  });

  it('sends nothing when the business has no webhook (and writes nothing to the outbox)', async () => {
    server = await startTestOrchestrator(FAST);
    receiver = await startReceiver();
    const owner = await seedTenant(server);
    const other = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: owner.sessionToken, body: { url: receiver.url } });
    const videoId = await createVideo(server, other.writeKey);
    await waitFor(async () => (await server.handle.ctx.videos.get(videoId))?.status === 'completed', 60_000);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.received).to.have.length(0);
    expect(await new WebhookRepository(server.handle.ctx.db).deliveries(other.businessId)).to.have.length(0);
  });

  it('delivers video.failed when the provider fails', async () => {
    const fake = await startFakeReplicate({ behaviour: 'fail', token: 'r8_test', pollsUntilDone: 1 });
    try {
      server = await startTestOrchestrator({ ...FAST, VIDEO_PROVIDER: 'replicate', REPLICATE_API_TOKEN: 'r8_test', REPLICATE_BASE_URL: fake.url, REPLICATE_MODEL: 'acme/video-model' });
      receiver = await startReceiver();
      const t = await seedTenant(server);
      await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: receiver.url } });
      const videoId = await createVideo(server, t.writeKey);
      const hook = await waitFor(async () => receiver.received[0], 60_000);
      expect(hook.headers['x-neariq-event']).to.equal('video.failed');
      expect(hook.json.data).to.include({ id: videoId, status: 'failed' });
      expect(String(hook.json.data.error)).to.have.length.greaterThan(0);
    } finally {
      await fake.close();
    }
  });

  it('refuses hostile URLs and bodies with 400 and keeps the registered URL', async () => {
    server = await startTestOrchestrator(FAST);
    const t = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: 'https://hooks.example.com/ok' } });
    const bad: unknown[] = ['file:///etc/passwd', 'ftp://example.com/x', 'http://user:pass@example.com/', `https://example.com/${'a'.repeat(5000)}`, '', 42];
    for (const url of bad) {
      const res = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url } });
      expect(res.status, String(url).slice(0, 30)).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.field).to.equal('url');
    }
    const missing = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: {} });
    expect(missing.status).to.equal(400);
    expect(missing.body.error.message).to.match(/url is required/);
    const notJson = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, raw: '{url: nope', headers: { 'content-type': 'application/json' } });
    expect(notJson.status).to.equal(400);
    expect(notJson.body.error.code).to.equal('invalid_json');
    const array = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: ['https://example.com'] });
    expect(array.status).to.equal(400);
    expect((await request(server.url + HOOK, { token: t.sessionToken })).body.url).to.equal('https://hooks.example.com/ok');
  });

  it('by default refuses loopback targets (WEBHOOK_ALLOW_PRIVATE unset)', async () => {
    server = await startTestOrchestrator();
    const t = await seedTenant(server);
    const res = await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: 'http://127.0.0.1:9/hook' } });
    expect(res.status).to.equal(400);
    expect(res.body.error.message).to.match(/public host/);
  });

  it('keeps each business to its own webhook; needs a session', async () => {
    server = await startTestOrchestrator(FAST);
    const a = await seedTenant(server);
    const b = await seedTenant(server);
    const created = await request(server.url + HOOK, { method: 'PUT', token: a.sessionToken, body: { url: 'https://a.example.com/hook' } });
    expect((await request(server.url + HOOK, { token: b.sessionToken })).status).to.equal(404);
    expect((await request(server.url + HOOK, { method: 'DELETE', token: b.sessionToken })).status).to.equal(404);
    const bPut = await request(server.url + HOOK, { method: 'PUT', token: b.sessionToken, body: { url: 'https://b.example.com/hook' } });
    expect(bPut.status).to.equal(201);
    expect(bPut.body.secret).to.not.equal(created.body.secret);
    expect((await request(server.url + HOOK, { token: a.sessionToken })).body.url).to.equal('https://a.example.com/hook');
    expect((await request(server.url + HOOK)).status).to.equal(401);
    expect((await request(server.url + HOOK, { token: a.readKey })).status).to.equal(401); // API keys are not sessions

    // Updating keeps the secret unless rotation is asked for.
    const update = await request(server.url + HOOK, { method: 'PUT', token: a.sessionToken, body: { url: 'https://a.example.com/v2' } });
    expect(update.status).to.equal(200);
    expect(update.body).to.include({ url: 'https://a.example.com/v2', secret: created.body.secret });
    const rotated = await request(server.url + HOOK, { method: 'PUT', token: a.sessionToken, body: { url: 'https://a.example.com/v2', rotateSecret: true } });
    expect(rotated.body.secret).to.match(/^whsec_/).and.not.equal(created.body.secret);

    expect((await request(server.url + HOOK, { method: 'DELETE', token: a.sessionToken })).status).to.equal(204);
    expect((await request(server.url + HOOK, { token: a.sessionToken })).status).to.equal(404);
    expect((await request(server.url + HOOK, { token: b.sessionToken })).body.url).to.equal('https://b.example.com/hook');
  });

  it('two deliverers on one database never send the same attempt twice', async () => {
    server = await startTestOrchestrator({ ...FAST, WEBHOOK_DELIVERY: 'false' });
    receiver = await startReceiver();
    receiver.delayMs = 50;
    const t = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: receiver.url } });
    const repo = new WebhookRepository(server.handle.ctx.db);
    for (let i = 0; i < 12; i++) {
      await repo.enqueue({ id: `evt_test${i}`, businessId: t.businessId, eventType: 'video.completed', payload: JSON.stringify({ id: `evt_test${i}` }) });
    }
    const logger = createLogger('test', 'silent');
    const options = { pollIntervalMs: 1000, timeoutMs: 2000, maxAttempts: 3, retryBaseMs: 50, retryMaxMs: 1000, allowPrivate: true, batchSize: 5 };
    const one = new WebhookDeliverer({ repo, logger }, options);
    const two = new WebhookDeliverer({ repo, logger }, options);
    for (let round = 0; round < 4; round++) await Promise.all([one.tick(), two.tick(), one.tick(), two.tick()]);
    const ids = receiver.received.map((h) => h.headers['x-neariq-event-id']);
    expect(ids).to.have.length(12);
    expect(new Set(ids).size).to.equal(12);
    const rows = await repo.deliveries(t.businessId);
    expect(rows.every((d) => d.status === 'delivered' && d.attempts === 1)).to.equal(true);
  });

  it('deleting the webhook cancels undelivered events', async () => {
    server = await startTestOrchestrator({ ...FAST, WEBHOOK_DELIVERY: 'false' });
    const t = await seedTenant(server);
    await request(server.url + HOOK, { method: 'PUT', token: t.sessionToken, body: { url: 'https://a.example.com/hook' } });
    const repo = new WebhookRepository(server.handle.ctx.db);
    await repo.enqueue({ id: 'evt_pending1', businessId: t.businessId, eventType: 'video.completed', payload: '{}' });
    await request(server.url + HOOK, { method: 'DELETE', token: t.sessionToken });
    expect((await repo.delivery('evt_pending1'))?.status).to.equal('canceled');
  });
});
