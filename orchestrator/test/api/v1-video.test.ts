import { expect } from 'chai';
import { dbKind, request, seedTenant, startTestOrchestrator, type TestServer, type Tenant } from '../helpers/harness.js';

const VIDEO = '/api/v1/video';

describe(`POST/GET /api/v1/video (${dbKind})`, () => {
  let server: TestServer;
  let tenant: Tenant;
  // The runner is off here: these tests are about the contract, not rendering.
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    tenant = await seedTenant(server, { plan: 'pro' });
  });
  after(() => server.close());

  const post = (body: unknown, token = tenant.writeKey, headers: Record<string, string> = {}) =>
    request(server.url + VIDEO, { method: 'POST', token, body, headers });

  it('creates a job: 202 with the job at the top level and charges by duration', async () => {
    const res = await post({ prompt: '  A sunrise over a quiet harbour  ', duration: '30', aspectRatio: '9:16' });
    expect(res.status).to.equal(202);
    expect(res.body).to.include({ status: 'processing', prompt: 'A sunrise over a quiet harbour', duration: 30, aspectRatio: '9:16', credits: 4 });
    expect(res.body.id).to.match(/^vid_[0-9A-Za-z]{24}$/);
    expect(Date.parse(res.body.createdAt)).to.be.closeTo(Date.now(), 60_000);
    const list = await request(server.url + VIDEO, { token: tenant.readKey });
    expect(list.status).to.equal(200);
    expect(list.body.creditsUsed).to.equal(4);
    expect(list.body.videos[0].id).to.equal(res.body.id);
  });

  it('defaults duration to 15 (2 credits) and aspect ratio to 16:9', async () => {
    const res = await post({ prompt: 'Fresh bread every morning' });
    expect(res.status).to.equal(202);
    expect(res.body).to.include({ duration: 15, aspectRatio: '16:9', credits: 2 });
  });

  it('accepts the key as X-API-Key too', async () => {
    const res = await request(server.url + VIDEO, { headers: { 'x-api-key': tenant.readKey } });
    expect(res.status).to.equal(200);
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ['missing prompt', { duration: 5 }, 'prompt', /prompt must be a string of 5 to 500/],
    ['empty prompt', { prompt: '' }, 'prompt', /at least 5 characters/],
    ['whitespace-only prompt', { prompt: '      \n\t ' }, 'prompt', /at least 5 characters/],
    ['short prompt', { prompt: 'abcd' }, 'prompt', /at least 5 characters/],
    ['long prompt', { prompt: 'x'.repeat(501) }, 'prompt', /at most 500 characters/],
    ['501 emoji', { prompt: '🎬'.repeat(501) }, 'prompt', /at most 500 characters/],
    ['non-string prompt', { prompt: 12345 }, 'prompt', /must be a string/],
    ['array prompt', { prompt: ['hello world'] }, 'prompt', /must be a string/],
    ['duration 0', { prompt: 'valid prompt', duration: 0 }, 'duration', /5, 15 or 30/],
    ['duration 7', { prompt: 'valid prompt', duration: 7 }, 'duration', /5, 15 or 30/],
    ['duration "abc"', { prompt: 'valid prompt', duration: 'abc' }, 'duration', /5, 15 or 30/],
    ['duration 15.5', { prompt: 'valid prompt', duration: 15.5 }, 'duration', /5, 15 or 30/],
    ['duration null', { prompt: 'valid prompt', duration: null }, 'duration', /5, 15 or 30/],
    ['aspect 4:3', { prompt: 'valid prompt', aspectRatio: '4:3' }, 'aspectRatio', /"16:9", "9:16" or "1:1"/],
    ['aspect 16-9', { prompt: 'valid prompt', aspectRatio: '16-9' }, 'aspectRatio', /"16:9", "9:16" or "1:1"/],
  ];
  for (const [name, body, field, message] of invalid) {
    it(`400 for ${name}, naming the field, and writes nothing`, async () => {
      const before = await request(server.url + VIDEO + '?limit=50', { token: tenant.readKey });
      const res = await post(body);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('validation_failed');
      expect(res.body.error.field).to.equal(field);
      expect(res.body.error.message).to.match(message);
      const after = await request(server.url + VIDEO + '?limit=50', { token: tenant.readKey });
      expect(after.body.creditsUsed).to.equal(before.body.creditsUsed);
      expect(after.body.videos.length).to.equal(before.body.videos.length);
    });
  }

  it('counts unicode prompts in characters, not bytes', async () => {
    const fiveEmoji = '🎬🍞🌅🚀✨';
    expect(Buffer.byteLength(fiveEmoji)).to.be.greaterThan(5);
    const ok = await post({ prompt: fiveEmoji, duration: 5 });
    expect(ok.status).to.equal(202);
    expect(ok.body.prompt).to.equal(fiveEmoji);
    const max = await post({ prompt: 'é'.repeat(500), duration: 5 });
    expect(max.status).to.equal(202);
    expect(await post({ prompt: '🎬🍞🌅🚀', duration: 5 }).then((r) => r.status)).to.equal(400);
  });

  it('400 for malformed JSON, 415 for another content type, 413 for an oversized body', async () => {
    const bad = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: '{"prompt": "abc', headers: { 'content-type': 'application/json' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_json');
    const form = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: 'prompt=hello+world', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).to.equal(415);
    expect(form.body.error.code).to.equal('unsupported_media_type');
    const huge = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: JSON.stringify({ prompt: 'x'.repeat(200_000) }), headers: { 'content-type': 'application/json' } });
    expect(huge.status).to.equal(413);
    expect(huge.body.error.code).to.equal('payload_too_large');
    const arr = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: '["a"]', headers: { 'content-type': 'application/json' } });
    expect(arr.status).to.equal(400);
    const poisoned = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: '{"prompt":"valid prompt","__proto__":{"admin":true}}', headers: { 'content-type': 'application/json' } });
    expect(poisoned.status).to.equal(400);
    expect(poisoned.body.error.message).to.match(/__proto__/);
    const scalar = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, raw: '"just a string"', headers: { 'content-type': 'application/json' } });
    expect(scalar.status).to.equal(400);
    expect(scalar.body.error).to.have.property('code');
  });

  it('401 for a missing, unknown, malformed or revoked key', async () => {
    expect((await request(server.url + VIDEO)).status).to.equal(401);
    const unknown = await request(server.url + VIDEO, { token: 'nq_live_notarealkey' });
    expect(unknown.status).to.equal(401);
    expect(unknown.body.error.code).to.equal('unauthorized');
    expect((await request(server.url + VIDEO, { headers: { authorization: 'Basic abc' } })).status).to.equal(401);
    const t = await seedTenant(server, { plan: 'pro' });
    await server.handle.ctx.accounts.revokeApiKey(t.writeKeyId);
    const revoked = await request(server.url + VIDEO, { token: t.writeKey });
    expect(revoked.status).to.equal(401);
    expect(revoked.body.error.message).to.match(/revoked/);
  });

  it('403 for a read-only key on POST, and nothing is written', async () => {
    const res = await post({ prompt: 'valid prompt here' }, tenant.readKey);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('insufficient_scope');
    expect(res.body.error.message).to.match(/content:write/);
  });

  it('a session token is not an API key', async () => {
    const res = await request(server.url + VIDEO, { token: tenant.sessionToken });
    expect(res.status).to.equal(401);
  });

  it("lists only the key's own business", async () => {
    const other = await seedTenant(server, { plan: 'pro' });
    const mine = await post({ prompt: 'Only for tenant A', duration: 5 });
    const theirs = await request(server.url + VIDEO, { token: other.readKey });
    expect(theirs.status).to.equal(200);
    expect(theirs.body.videos).to.deep.equal([]);
    expect(theirs.body.creditsUsed).to.equal(0);
    const ours = await request(server.url + VIDEO + '?limit=50', { token: tenant.readKey });
    expect(ours.body.videos.map((v: { id: string }) => v.id)).to.include(mine.body.id);
  });

  it('free plan: 403 on create, listing still allowed', async () => {
    const free = await seedTenant(server, { plan: 'free' });
    const res = await post({ prompt: 'Free plan attempt' }, free.writeKey);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('plan_not_allowed');
    const list = await request(server.url + VIDEO, { token: free.readKey });
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ creditsUsed: 0, monthlyCredits: 0, creditsRemaining: 0 });
  });

  it('429 at the credit boundary and nothing written', async () => {
    const t = await seedTenant(server, { plan: 'starter' }); // 20 credits
    for (let i = 0; i < 4; i++) expect((await post({ prompt: `Thirty second spot ${i}`, duration: 30 }, t.writeKey)).status).to.equal(202); // 16
    expect((await post({ prompt: 'Fifteen second spot', duration: 15 }, t.writeKey)).status).to.equal(202); // 18
    const over = await post({ prompt: 'One too many', duration: 30 }, t.writeKey);
    expect(over.status).to.equal(429);
    expect(over.body.error.code).to.equal('credits_exhausted');
    expect(over.body.error.message).to.match(/only 2 of 20 remain/);
    const list = await request(server.url + VIDEO + '?limit=50', { token: t.readKey });
    expect(list.body).to.include({ creditsUsed: 18, monthlyCredits: 20, creditsRemaining: 2 });
    expect(list.body.videos).to.have.length(5);
    expect((await post({ prompt: 'Fits exactly', duration: 15 }, t.writeKey)).status).to.equal(202);
  });

  it('Idempotency-Key: a retried create returns the first result and charges once', async () => {
    const t = await seedTenant(server, { plan: 'starter' });
    const headers = { 'idempotency-key': 'order-42' };
    const first = await post({ prompt: 'Idempotent launch video', duration: 15 }, t.writeKey, headers);
    const retries = await Promise.all([1, 2, 3, 4, 5].map(() => post({ prompt: 'Idempotent launch video', duration: 15 }, t.writeKey, headers)));
    expect(first.status).to.equal(202);
    for (const r of retries) {
      expect(r.status).to.equal(202);
      expect(r.body).to.deep.equal(first.body);
    }
    const changed = await post({ prompt: 'A different body', duration: 15 }, t.writeKey, headers);
    expect(changed.status).to.equal(409);
    const list = await request(server.url + VIDEO, { token: t.readKey });
    expect(list.body.creditsUsed).to.equal(2);
    expect(list.body.videos).to.have.length(1);
  });

  it('lists newest first with limit and status filters', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await post({ prompt: `Ordered video ${i}`, duration: 5 }, t.writeKey)).body.id);
    const list = await request(server.url + VIDEO + '?limit=2', { token: t.readKey });
    expect(list.body.videos.map((v: { id: string }) => v.id)).to.deep.equal([ids[2], ids[1]]);
    expect(Object.keys(list.body.videos[0]).sort()).to.deep.equal(['aspectRatio', 'completedAt', 'createdAt', 'credits', 'duration', 'error', 'id', 'prompt', 'status'].sort());
    expect(list.body.period.start).to.match(/^\d{4}-\d{2}-01T00:00:00.000Z$/);
    const done = await request(server.url + VIDEO + '?status=completed', { token: t.readKey });
    expect(done.body.videos).to.deep.equal([]);
    const processing = await request(server.url + VIDEO + '?status=processing&limit=50', { token: t.readKey });
    expect(processing.body.videos).to.have.length(3);
  });

  for (const [q, field] of [['limit=0', 'limit'], ['limit=51', 'limit'], ['limit=-1', 'limit'], ['limit=x', 'limit'], ['status=done', 'status'], ['limit=1&limit=2', 'limit']]) {
    it(`GET 400 for ${q}`, async () => {
      const res = await request(`${server.url}${VIDEO}?${q}`, { token: tenant.readKey });
      expect(res.status).to.equal(400);
      expect(res.body.error.field).to.equal(field);
    });
  }

  it('unknown routes and methods answer in the error shape', async () => {
    const nf = await request(server.url + '/api/v1/nope', { token: tenant.readKey });
    expect(nf.status).to.equal(404);
    expect(nf.body.error.code).to.equal('not_found');
    const m = await request(server.url + VIDEO, { method: 'DELETE', token: tenant.writeKey });
    expect(m.status).to.equal(405);
    expect(m.body.error.code).to.equal('method_not_allowed');
  });
});

describe(`/api/v1/video with VIDEO_PROVIDER=none (${dbKind})`, () => {
  let server: TestServer;
  let tenant: Tenant;
  before(async () => {
    server = await startTestOrchestrator({ VIDEO_PROVIDER: 'none', JOB_RUNNER: 'false' });
    tenant = await seedTenant(server, { plan: 'pro' });
  });
  after(() => server.close());

  it('503 on create naming the variable to set; listing still 200', async () => {
    const res = await request(server.url + VIDEO, { method: 'POST', token: tenant.writeKey, body: { prompt: 'Not configured here' } });
    expect(res.status).to.equal(503);
    expect(res.body.error.code).to.equal('not_configured');
    expect(res.body.error.message).to.match(/VIDEO_PROVIDER/);
    const list = await request(server.url + VIDEO, { token: tenant.readKey });
    expect(list.status).to.equal(200);
    expect(list.body.creditsUsed).to.equal(0);
  });
});
