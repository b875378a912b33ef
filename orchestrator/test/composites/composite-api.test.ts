import { expect } from 'chai';
import type { DomainEvent } from '../../src/events/event-bus.js';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type Tenant, type TestServer } from '../helpers/harness.js';
import { startFakeCompositor, type FakeCompositor } from './fake-compositor.js';
import { CLIPS, COMPOSITE, creditsUsed, deadPort, seedVideo } from './composite-fixtures.js';

const SECRET = 'test-compositor-secret';

describe(`composite API against a fake compositor (${dbKind})`, function () {
  this.timeout(60_000);
  let fake: FakeCompositor;
  let server: TestServer;
  let events: DomainEvent[];

  async function start(env: Record<string, string> = {}) {
    server = await startTestOrchestrator({ COMPOSITOR_URL: fake.url, COMPOSITOR_SECRET: SECRET, COMPOSITE_WAIT_MS: '0', JOB_RUNNER: 'false', ...env });
    events = [];
    server.handle.ctx.events.on((e) => {
      if (e.type.startsWith('composite.')) events.push(e);
    });
  }
  const post = (t: Tenant, body: unknown, path = COMPOSITE) => request(server.url + path, { method: 'POST', token: t.sessionToken, body });
  const poll = (t: Tenant, jobToken: string) => request(server.url + `${COMPOSITE}?jobToken=${encodeURIComponent(jobToken)}`, { token: t.sessionToken });
  const ledger = (id: string) => server.handle.ctx.credits.state('composite', id);

  beforeEach(async () => {
    fake = await startFakeCompositor({ secret: SECRET });
  });
  afterEach(async () => {
    await server?.close();
    await fake.close();
  });

  it('holds 1 credit while rendering, charges it on completion, and says what the plan dropped', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'starter' });
    const videoId = await seedVideo(server, t);
    const before = await creditsUsed(server, t);
    const res = await post(t, { videoId, captionCues: [{ startSec: 0.5, endSec: 3, text: 'Fresh bread' }], captionStyle: 'clean', burnIn: true, voice: true, music: true });
    expect(res.status).to.equal(202);
    expect(res.body).to.include({ status: 'processing', statusEndpoint: COMPOSITE, charged: false });
    expect(res.body.jobToken).to.match(/^cjt_[0-9A-Za-z]{40}$/);
    expect(res.body.dropped).to.deep.equal(['voice']);
    expect(res.body.notes[0]).to.match(/starter plan does not include voice/);
    expect(await creditsUsed(server, t)).to.equal(before + 1);
    expect(await ledger(res.body.compositeId)).to.equal('held');

    const spec = [...fake.jobs.values()][0].spec;
    expect(spec.watermark).to.deep.include({ text: 'NearIQ' });
    expect(spec.audio.voice).to.equal(undefined);
    expect(spec.audio.music!.url).to.match(/\/internal\/music\/calm\?exp=\d+&sig=[0-9a-f]{64}$/);
    expect(spec.captions).to.deep.include({ burnIn: true, style: 'clean' });
    expect(spec.segments[0].url).to.match(new RegExp(`/internal/sources/${videoId}\\?exp=`));
    expect(fake.requests.filter((r) => r.method === 'POST').every((r) => r.signatureOk)).to.equal(true);

    expect((await poll(t, res.body.jobToken)).body.status).to.equal('processing');
    fake.finishAll('completed');
    const done = await poll(t, res.body.jobToken);
    expect(done.status).to.equal(200);
    expect(done.body).to.deep.include({ status: 'completed', charged: true });
    expect(done.body.composite).to.deep.equal({ url: done.body.composite.url, durationSec: 15, width: 1920, height: 1080 });
    expect(await creditsUsed(server, t)).to.equal(before + 1);
    expect(await ledger(res.body.compositeId)).to.equal('charged');
    await waitFor(async () => events.length === 1);
    expect(events[0]).to.deep.include({ type: 'composite.completed', businessId: t.businessId });
  });

  it('answers 429 when no credit is free, and writes nothing', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'starter' });
    const videoId = await seedVideo(server, t);
    await server.handle.ctx.credits.hold({ businessId: t.businessId, kind: 'generation', refId: 'filler', amount: 20, limit: 20 });
    const res = await post(t, { videoId });
    expect(res.status).to.equal(429);
    expect(res.body.error.code).to.equal('credits_exhausted');
    expect(await server.handle.ctx.db('composites').select('id')).to.have.length(0);
    expect(fake.requests).to.have.length(0);
    expect(await creditsUsed(server, t)).to.equal(20);
  });

  it('20 parallel polls of a completed job charge exactly once and emit one event', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'pro' });
    const videoId = await seedVideo(server, t, { duration: 5, bundle: null });
    const res = await post(t, { videoId, music: 'upbeat' });
    expect(res.status).to.equal(202);
    fake.finishAll('completed');
    const polls = await Promise.all(Array.from({ length: 20 }, () => poll(t, res.body.jobToken)));
    expect(polls.map((p) => p.body.status)).to.deep.equal(Array(20).fill('completed'));
    const rows = await server.handle.ctx.db('credit_ledger').where({ kind: 'composite', ref_id: res.body.compositeId });
    expect(rows.map((r) => r.state)).to.deep.equal(['charged']);
    expect(await creditsUsed(server, t)).to.equal(1);
    await new Promise((r) => setTimeout(r, 50));
    expect(events.map((e) => e.type)).to.deep.equal(['composite.completed']);
  });

  it('a render the compositor fails costs nothing and says why', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'starter' });
    const videoId = await seedVideo(server, t);
    const res = await post(t, { videoId });
    fake.finishAll('failed');
    const done = await poll(t, res.body.jobToken);
    expect(done.body).to.deep.include({ status: 'failed', charged: false });
    expect(done.body.error).to.deep.equal({ code: 'render_failed', message: 'ffmpeg exited with code 1 while encoding. Nothing was charged.' });
    expect(await creditsUsed(server, t)).to.equal(0);
    expect(await ledger(res.body.compositeId)).to.equal('released');
    await waitFor(async () => events.length === 1);
    expect(events[0].type).to.equal('composite.failed');
  });

  it('an output outside the duration tolerance is refused and not charged', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'starter' });
    const res = await post(t, { videoId: await seedVideo(server, t) });
    fake.finishAll('completed', 14.5);
    const done = await poll(t, res.body.jobToken);
    expect(done.body.status).to.equal('failed');
    expect(done.body.error.code).to.equal('duration_mismatch');
    expect(await ledger(res.body.compositeId)).to.equal('released');
  });

  it('a compositor killed mid-render: the job fails after the grace period and nothing is charged', async () => {
    await start({ COMPOSITE_TIMEOUT_MS: '8000' }); // grace = min(15 s, timeout / 4) = 2 s
    const t = await seedTenant(server, { plan: 'starter' });
    const res = await post(t, { videoId: await seedVideo(server, t) });
    expect((await poll(t, res.body.jobToken)).body.status).to.equal('processing');
    await fake.close();
    const failed = await waitFor(async () => {
      const p = await poll(t, res.body.jobToken);
      return p.body.status !== 'processing' ? p : null;
    }, 10_000, 300);
    expect(failed.body.status).to.equal('failed');
    expect(failed.body.error.code).to.equal('compositor_unavailable');
    expect(failed.body.error.message).to.match(/stopped answering.*Nothing was charged/);
    expect(await creditsUsed(server, t)).to.equal(0);
  });

  it('a composite older than the timeout is canceled at the compositor and released', async () => {
    await start({ COMPOSITE_TIMEOUT_MS: '1000' });
    const t = await seedTenant(server, { plan: 'starter' });
    const res = await post(t, { videoId: await seedVideo(server, t) });
    await new Promise((r) => setTimeout(r, 1100));
    const done = await poll(t, res.body.jobToken);
    expect(done.body.status).to.equal('failed');
    expect(done.body.error.code).to.equal('timed_out');
    expect(fake.requests.some((r) => r.method === 'DELETE' && r.signatureOk)).to.equal(true);
    expect(await ledger(res.body.compositeId)).to.equal('released');
  });

  it('compositor unreachable at submit: 502, hold released; a dead worker in the list is skipped', async () => {
    const dead = `http://127.0.0.1:${await deadPort()}`;
    await start({ COMPOSITOR_URL: dead });
    const t = await seedTenant(server, { plan: 'starter' });
    const videoId = await seedVideo(server, t);
    const res = await post(t, { videoId });
    expect(res.status).to.equal(502);
    expect(res.body.error.code).to.equal('bad_gateway');
    expect(res.body.error.message).to.match(/not reachable.*nothing was charged/);
    expect(await creditsUsed(server, t)).to.equal(0);
    const row = await server.handle.ctx.db('composites').first();
    expect(row.status).to.equal('failed');
    expect(await ledger(row.id)).to.equal('released');
    await server.close();

    await start({ COMPOSITOR_URL: `${dead},${fake.url}` });
    const t2 = await seedTenant(server, { plan: 'starter' });
    const ok = await post(t2, { videoId: await seedVideo(server, t2) });
    const ok2 = await post(t2, { videoId: await seedVideo(server, t2) });
    expect([ok.status, ok2.status]).to.deep.equal([202, 202]);
    expect(fake.jobs.size).to.equal(2);
  });

  it("another business's jobToken answers 404, like an unknown one", async () => {
    await start();
    const a = await seedTenant(server, { plan: 'starter' });
    const b = await seedTenant(server, { plan: 'starter' });
    const res = await post(a, { videoId: await seedVideo(server, a) });
    const other = await poll(b, res.body.jobToken);
    expect(other.status).to.equal(404);
    expect(other.body.error).to.deep.include({ code: 'not_found', field: 'jobToken' });
    expect((await poll(b, 'cjt_nope')).status).to.equal(404);
    expect((await poll(a, res.body.jobToken)).status).to.equal(200);
    expect((await request(server.url + COMPOSITE, { token: a.sessionToken })).body.error.field).to.equal('jobToken');
  });

  it("composite: another business's video 404, a processing one 409, bad bodies 400 naming the field", async () => {
    await start();
    const a = await seedTenant(server, { plan: 'starter' });
    const b = await seedTenant(server, { plan: 'starter' });
    const foreign = await seedVideo(server, b);
    expect((await post(a, { videoId: foreign })).status).to.equal(404);
    const busy = await seedVideo(server, a, { status: 'processing' });
    const r409 = await post(a, { videoId: busy });
    expect(r409.status).to.equal(409);
    expect(r409.body.error.message).to.match(/still generating/);
    const bad = await post(a, { videoId: await seedVideo(server, a), music: 'jazz' });
    expect(bad.status).to.equal(400);
    expect(bad.body.error).to.deep.include({ code: 'validation_failed', field: 'music' });
    const late = await post(a, { videoId: await seedVideo(server, a), textOverlays: [{ text: 'Hi', startSec: 1, endSec: 99 }] });
    expect(late.body.error).to.deep.include({ field: 'textOverlays.0.endSec' });
    expect(await creditsUsed(server, a)).to.equal(0);
  });

  it('composite-clips: foreign clip 404, processing clip 409, fades stitched in order with the first bundle’s music', async () => {
    await start();
    const a = await seedTenant(server, { plan: 'starter' });
    const b = await seedTenant(server, { plan: 'starter' });
    const c1 = await seedVideo(server, a, { duration: 5 });
    const c2 = await seedVideo(server, a, { duration: 5 });
    const foreign = await seedVideo(server, b, { duration: 5 });
    const r404 = await post(a, { clipIds: [c1, foreign], transition: { type: 'fade', durationSec: 0.5 }, duration: 15, aspect: '9:16' }, CLIPS);
    expect(r404.status).to.equal(404);
    expect(r404.body.error.field).to.equal('clipIds.1');
    const busy = await seedVideo(server, a, { duration: 5, status: 'processing' });
    expect((await post(a, { clipIds: [c1, busy], transition: { type: 'cut', durationSec: 0.5 }, duration: 15, aspect: '9:16' }, CLIPS)).status).to.equal(409);
    expect((await post(a, { clipIds: [c1], transition: { type: 'cut', durationSec: 0.5 }, duration: 15, aspect: '9:16' }, CLIPS)).status).to.equal(400);

    const ok = await post(a, { clipIds: [c2, c1], transition: { type: 'fade', durationSec: 0.5 }, style: 'promo', duration: '15', aspect: '9:16' }, CLIPS);
    expect(ok.status).to.equal(202);
    const spec = [...fake.jobs.values()][0].spec;
    expect(spec.segments.map((s) => new URL(s.url).pathname)).to.deep.equal([`/internal/sources/${c2}`, `/internal/sources/${c1}`]);
    expect(spec.transition).to.deep.equal({ type: 'fade', durationSec: 0.5 });
    expect(spec.output).to.deep.include({ aspect: '9:16', durationSec: 15 });
    expect(spec.audio.music!.url).to.match(/\/internal\/music\/calm\?/);
    expect(spec.watermark).to.deep.include({ text: 'NearIQ' });
    expect(await creditsUsed(server, a)).to.equal(1);
    fake.finishAll('completed');
    const done = await poll(a, ok.body.jobToken);
    expect(done.body.status).to.equal('completed');
    expect(await ledger(ok.body.compositeId)).to.equal('charged');
  });

  it('premium narration that is not configured answers 503 before anything is held', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'pro' });
    const res = await post(t, { videoId: await seedVideo(server, t), premiumNarration: true });
    expect(res.status).to.equal(503);
    expect(await creditsUsed(server, t)).to.equal(0);
    expect(await server.handle.ctx.db('credit_ledger').where({ kind: 'composite' })).to.have.length(0);
    expect(fake.requests).to.have.length(0);
  });

  it('the background poller finishes composites nobody polls (and charges once)', async () => {
    await start({ JOB_RUNNER: 'true' });
    const t = await seedTenant(server, { plan: 'starter' });
    const res = await post(t, { videoId: await seedVideo(server, t) });
    fake.finishAll('completed');
    await waitFor(async () => (await server.handle.ctx.db('composites').where({ id: res.body.compositeId }).first()).status === 'completed', 10_000);
    expect(await ledger(res.body.compositeId)).to.equal('charged');
    expect(await creditsUsed(server, t)).to.equal(1);
  });

  it('music beds are served only at signed URLs', async () => {
    await start();
    const t = await seedTenant(server, { plan: 'starter' });
    await post(t, { videoId: await seedVideo(server, t) });
    const url = new URL([...fake.jobs.values()][0].spec.audio.music!.url);
    const local = server.url + url.pathname + url.search;
    const ok = await fetch(local);
    expect(ok.status).to.equal(200);
    expect(ok.headers.get('content-type')).to.equal('audio/mp4');
    expect((await ok.arrayBuffer()).byteLength).to.be.greaterThan(1000);
    const tampered = await fetch(server.url + url.pathname.replace('calm', 'upbeat') + url.search);
    expect(tampered.status).to.equal(401);
  });
});
