import { expect } from 'chai';
import { dbKind, request, seedTenant, startTestOrchestrator, type Tenant, type TestServer } from '../helpers/harness.js';
import { completeWithFixture, createVideo, failJob, FIXTURE_CLIP, hostileTokens, sessionFor, VIDEO } from './dashboard-helpers.js';
import { readFileSync } from 'node:fs';

describe(`dashboard POST/GET ${VIDEO} (${dbKind})`, () => {
  let server: TestServer;
  let tenant: Tenant;
  // The runner is off: jobs are finished with a fixture clip, so no render runs here.
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    tenant = await seedTenant(server, { plan: 'pro' });
  });
  after(() => server.close());

  const post = (body: unknown, token = tenant.sessionToken, headers: Record<string, string> = {}) => request(server.url + VIDEO, { method: 'POST', token, body, headers });
  const get = (query: string, token = tenant.sessionToken, headers: Record<string, string> = {}) => request(server.url + VIDEO + query, { token, headers });

  it('202 with the video and its bundle: script, audioConfig defaults, shots, compositing, style', async () => {
    const res = await post({ prompt: '  Fresh sourdough at Bella Bakery, baked at dawn  ', duration: 15, aspectRatio: '9:16' });
    expect(res.status).to.equal(202);
    const v = res.body.video;
    expect(v).to.include({ status: 'processing', prompt: 'Fresh sourdough at Bella Bakery, baked at dawn', duration: 15, aspectRatio: '9:16', credits: 2, style: 'promo', scriptProvided: false });
    expect(v.id).to.match(/^vid_/);
    expect(v.script).to.be.a('string').and.match(/sourdough|Bella/i);
    expect(v.audioConfig).to.deep.equal({ speechPace: 1, pitch: 1, voiceVolume: 1, musicVolume: 0.25, nativeVolume: 0.5, voiceStartSec: 0.5, musicStartSec: 0 });
    expect(v.shots).to.have.length(3);
    expect(v.shots[0].startSec).to.equal(0);
    expect(v.shots[2].endSec).to.equal(15);
    expect(v.compositing).to.have.keys(['transitions', 'textOverlays', 'musicMood', 'captionStyle', 'safeAreas']);
    expect(v.compositing.captionStyle).to.equal('bold');
    expect(v).to.not.have.property('downloadUrl');
    // The bundle is stored on the video, and the generation is charged as in v1.
    const record = await server.handle.ctx.videos.get(v.id);
    expect(record!.sourceBundle).to.deep.include({ script: v.script, style: 'promo', duration: 15, aspectRatio: '9:16' });
    const list = await get('');
    expect(list.body.creditsUsed).to.equal(2);
  });

  it('keeps a given script verbatim and uses the given style and audioConfig', async () => {
    const script = "Meet Bella's bakery 🍞 — 100% {fresh}; [daily] \\ = : ,\nCome by!";
    const audioConfig = { speechPace: 2, pitch: 0.5, voiceVolume: 0, musicVolume: 2, nativeVolume: 1.25, voiceStartSec: 5, musicStartSec: 0 };
    const res = await post({ prompt: '🥖🥐 Bella bakery ✨', duration: '5', style: 'energetic', script, audioConfig });
    expect(res.status).to.equal(202);
    expect(res.body.video).to.include({ script, scriptProvided: true, style: 'energetic', duration: 5, credits: 1 });
    expect(res.body.video.audioConfig).to.deep.equal(audioConfig);
    expect(res.body.video.shots).to.have.length(2);
    const one = await get(`?videoId=${res.body.video.id}`);
    expect(one.body.video.script).to.equal(script);
  });

  it('30 s clips get 5 shots and 4 credits', async () => {
    const res = await post({ prompt: 'Harbour boat tours at sunset', duration: 30 });
    expect(res.status).to.equal(202);
    expect(res.body.video.shots).to.have.length(5);
    expect(res.body.video.credits).to.equal(4);
  });

  const invalid: Array<[string, unknown, string, RegExp]> = [
    ['missing prompt', { duration: 5 }, 'prompt', /prompt must be a string of 5 to 500/],
    ['short prompt', { prompt: '🎬🍞🌅🚀' }, 'prompt', /at least 5 characters/],
    ['long prompt', { prompt: 'é'.repeat(501) }, 'prompt', /at most 500/],
    ['duration 7', { prompt: 'valid prompt', duration: 7 }, 'duration', /5, 15 or 30/],
    ['aspect 4:3', { prompt: 'valid prompt', aspectRatio: '4:3' }, 'aspectRatio', /"16:9", "9:16" or "1:1"/],
    ['style number', { prompt: 'valid prompt', style: 5 }, 'style', /style must be a short name/],
    ['style empty', { prompt: 'valid prompt', style: '   ' }, 'style', /style must be a short name/],
    ['style too long', { prompt: 'valid prompt', style: 'x'.repeat(41) }, 'style', /1 to 40/],
    ['script number', { prompt: 'valid prompt', script: 42 }, 'script', /script must be a string/],
    ['script blank', { prompt: 'valid prompt', script: ' \n ' }, 'script', /script is empty/],
    ['script 2001 chars', { prompt: 'valid prompt', script: '🎬'.repeat(2001) }, 'script', /at most 2000/],
    ['audioConfig array', { prompt: 'valid prompt', audioConfig: [1] }, 'audioConfig', /audioConfig must be an object/],
    ['audioConfig unknown field', { prompt: 'valid prompt', audioConfig: { speechpace: 1 } }, 'audioConfig', /unknown field\(s\) speechpace/],
    ['speechPace 3', { prompt: 'valid prompt', audioConfig: { speechPace: 3 } }, 'audioConfig.speechPace', /from 0.5 to 2/],
    ['speechPace string', { prompt: 'valid prompt', audioConfig: { speechPace: '1' } }, 'audioConfig.speechPace', /must be a number/],
    ['pitch 0.1', { prompt: 'valid prompt', audioConfig: { pitch: 0.1 } }, 'audioConfig.pitch', /from 0.5 to 1.5/],
    ['voiceVolume -1', { prompt: 'valid prompt', audioConfig: { voiceVolume: -1 } }, 'audioConfig.voiceVolume', /from 0 to 2/],
    ['musicVolume 2.5', { prompt: 'valid prompt', audioConfig: { musicVolume: 2.5 } }, 'audioConfig.musicVolume', /from 0 to 2/],
    ['nativeVolume null', { prompt: 'valid prompt', audioConfig: { nativeVolume: null } }, 'audioConfig.nativeVolume', /must be a number/],
    ['voiceStartSec past 5 s', { prompt: 'valid prompt', duration: 5, audioConfig: { voiceStartSec: 6 } }, 'audioConfig.voiceStartSec', /duration \(5\)/],
    ['musicStartSec negative', { prompt: 'valid prompt', audioConfig: { musicStartSec: -0.1 } }, 'audioConfig.musicStartSec', /from 0 to the video duration/],
  ];
  for (const [name, body, field, message] of invalid) {
    it(`400 for ${name}, naming ${field}, and charges nothing`, async () => {
      const t = await seedTenant(server, { plan: 'starter' });
      const res = await post(body, t.sessionToken);
      expect(res.status).to.equal(400);
      expect(res.body.error).to.include({ code: 'validation_failed', field });
      expect(res.body.error.message).to.match(message);
      const list = await get('', t.sessionToken);
      expect(list.body).to.include({ creditsUsed: 0 });
      expect(list.body.videos).to.deep.equal([]);
    });
  }

  it('400 for malformed JSON and non-object bodies, 415 for a form body', async () => {
    const bad = await request(server.url + VIDEO, { method: 'POST', token: tenant.sessionToken, raw: '{"prompt": "abc', headers: { 'content-type': 'application/json' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_json');
    const arr = await request(server.url + VIDEO, { method: 'POST', token: tenant.sessionToken, raw: '[1,2]', headers: { 'content-type': 'application/json' } });
    expect(arr.status).to.equal(400);
    expect(arr.body.error.field).to.equal('body');
    const form = await request(server.url + VIDEO, { method: 'POST', token: tenant.sessionToken, raw: 'prompt=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect(form.status).to.equal(415);
  });

  it('401 for a missing, expired, forged, alg:none, HS512 or garbage session token; an API key is not a session', async () => {
    expect((await request(server.url + VIDEO)).status).to.equal(401);
    for (const [name, token] of Object.entries(hostileTokens(server, tenant.userId, tenant.businessId))) {
      const r = await get('', token);
      expect(r.status, name).to.equal(401);
      expect(r.body.error.code, name).to.equal('unauthorized');
      const p = await post({ prompt: 'should never be created' }, token);
      expect(p.status, name).to.equal(401);
    }
    expect((await get('', tenant.writeKey)).status).to.equal(401);
    const cookie = await request(server.url + VIDEO, { headers: { cookie: `neariq_session=${tenant.sessionToken}` } });
    expect(cookie.status).to.equal(200);
  });

  it('400 missing_active_business for a session without a business', async () => {
    const token = sessionFor(server, { userId: tenant.userId, businessId: null });
    for (const res of [await get('', token), await post({ prompt: 'valid prompt' }, token)]) {
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('missing_active_business');
    }
  });

  it('free plan: 403 on create, reading allowed', async () => {
    const free = await seedTenant(server, { plan: 'free' });
    const res = await post({ prompt: 'Free plan attempt' }, free.sessionToken);
    expect(res.status).to.equal(403);
    expect(res.body.error.code).to.equal('plan_not_allowed');
    const list = await get('', free.sessionToken);
    expect(list.status).to.equal(200);
    expect(list.body).to.include({ creditsUsed: 0, monthlyCredits: 0 });
  });

  it('team business: create needs create_video; a member without it may still read; a non-member may not', async () => {
    const { accounts } = server.handle.ctx;
    const team = await accounts.createTeam('Studio team');
    const t = await seedTenant(server, { plan: 'pro', teamId: team.id });
    await accounts.setMembership({ teamId: team.id, userId: t.userId, permissions: [] });
    const denied = await post({ prompt: 'Team video attempt' }, t.sessionToken);
    expect(denied.status).to.equal(403);
    expect(denied.body.error.code).to.equal('team_permission_required');
    expect(denied.body.error.message).to.match(/create_video/);
    expect((await get('', t.sessionToken)).status).to.equal(200);
    await accounts.setMembership({ teamId: team.id, userId: t.userId, permissions: ['create_video'] });
    expect((await post({ prompt: 'Team video allowed', duration: 5 }, t.sessionToken)).status).to.equal(202);
    const stranger = await accounts.createUser('stranger@example.test');
    const strangerToken = sessionFor(server, { userId: stranger.id, businessId: t.businessId });
    expect((await get('', strangerToken)).status).to.equal(403);
  });

  it('429 at the credit boundary, nothing written', async () => {
    const t = await seedTenant(server, { plan: 'starter' }); // 20
    for (let i = 0; i < 5; i++) expect((await post({ prompt: `Thirty second spot ${i}`, duration: 30 }, t.sessionToken)).status).to.equal(202);
    const over = await post({ prompt: 'One too many', duration: 5 }, t.sessionToken);
    expect(over.status).to.equal(429);
    expect(over.body.error.code).to.equal('credits_exhausted');
    const list = await get('?limit=50', t.sessionToken);
    expect(list.body).to.include({ creditsUsed: 20, creditsRemaining: 0 });
    expect(list.body.videos).to.have.length(5);
  });

  it('Idempotency-Key: retries return the same video with its bundle and charge once', async () => {
    const t = await seedTenant(server, { plan: 'starter' });
    const headers = { 'idempotency-key': 'dash-1' };
    const body = { prompt: 'Idempotent dashboard video', duration: 15 };
    const first = await post(body, t.sessionToken, headers);
    const again = await Promise.all([1, 2, 3].map(() => post(body, t.sessionToken, headers)));
    for (const r of again) {
      expect(r.status).to.equal(202);
      expect(r.headers.get('idempotent-replayed')).to.equal('true');
      expect(r.body.video.id).to.equal(first.body.video.id);
      expect(r.body.video.script).to.equal(first.body.video.script);
    }
    expect((await get('', t.sessionToken)).body.creditsUsed).to.equal(2);
    expect((await post({ ...body, prompt: 'Another body' }, t.sessionToken, headers)).status).to.equal(409);
    expect((await post({ ...body, style: 'calm' }, t.sessionToken, headers)).status).to.equal(409);
    expect((await post({ ...body, audioConfig: { speechPace: 1.5 } }, t.sessionToken, headers)).status).to.equal(409);
    expect((await post({ ...body, audioConfig: { speechPace: 1 } }, t.sessionToken, headers)).status).to.equal(202); // the default, spelled out
    expect((await post(body, t.sessionToken, { 'idempotency-key': 'bad key with spaces' })).status).to.equal(400);
  });

  it('GET ?videoId: status + bundle; another business or an unknown id is the same 404', async () => {
    const created = await post({ prompt: 'Status check video', duration: 5 });
    const id = created.body.video.id;
    const one = await get(`?videoId=${id}`);
    expect(one.status).to.equal(200);
    expect(one.body.video).to.include({ id, status: 'processing' });
    expect(one.body.video.shots).to.deep.equal(created.body.video.shots);
    expect(one.body.video).to.not.have.property('captions');
    const other = await seedTenant(server, { plan: 'pro' });
    const theirs = await get(`?videoId=${id}`, other.sessionToken);
    const unknown = await get('?videoId=vid_doesnotexist000000000000', other.sessionToken);
    expect(theirs.status).to.equal(404);
    expect(theirs.body).to.deep.equal(unknown.body);
    expect((await get(`?videoId=${'x'.repeat(500)}`)).status).to.equal(404);
    expect((await get(`?videoId=${id}&videoId=${id}`)).status).to.equal(400);
    expect((await get(`?videoId=${id}&download=yes`)).status).to.equal(400);
    expect((await get('?download=1')).body.error.field).to.equal('videoId');
  });

  it('a v1 clip (no stored bundle) still shows a default bundle', async () => {
    const v1 = await request(server.url + '/api/v1/video', { method: 'POST', token: tenant.writeKey, body: { prompt: 'Made through the public API', duration: 15 } });
    const one = await get(`?videoId=${v1.body.id}`);
    expect(one.status).to.equal(200);
    expect(one.body.video.shots).to.have.length(3);
    expect(one.body.video.script).to.be.a('string').and.not.equal('');
  });

  it('download=1: 409 while processing or failed; when completed, the clip with Range/206 and HEAD', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const a = (await createVideo(server, t.sessionToken)).body.video.id;
    const processing = await get(`?videoId=${a}&download=1`, t.sessionToken);
    expect(processing.status).to.equal(409);
    expect(processing.body.error.code).to.equal('conflict');
    expect(processing.body.error.message).to.match(/processing/);
    const b = (await createVideo(server, t.sessionToken)).body.video.id;
    await failJob(server, b);
    const failed = await get(`?videoId=${b}&download=1`, t.sessionToken);
    expect(failed.status).to.equal(409);
    expect(failed.body.error.message).to.match(/failed \(provider said no\)/);

    await completeWithFixture(server, a);
    const clip = readFileSync(FIXTURE_CLIP);
    const status = await get(`?videoId=${a}`, t.sessionToken);
    expect(status.body.video).to.include({ status: 'completed', downloadUrl: `${VIDEO}?videoId=${a}&download=1` });
    const full = await fetch(`${server.url}${VIDEO}?videoId=${a}&download=1`, { headers: { authorization: `Bearer ${t.sessionToken}` } });
    expect(full.status).to.equal(200);
    expect(full.headers.get('content-type')).to.equal('video/mp4');
    expect(full.headers.get('content-disposition')).to.equal(`attachment; filename="${a}.mp4"`);
    expect(Buffer.from(await full.arrayBuffer()).equals(clip)).to.equal(true);
    const part = await fetch(`${server.url}${VIDEO}?videoId=${a}&download=1`, { headers: { authorization: `Bearer ${t.sessionToken}`, range: 'bytes=1000-2047' } });
    expect(part.status).to.equal(206);
    expect(part.headers.get('content-range')).to.equal(`bytes 1000-2047/${clip.length}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(1000, 2048))).to.equal(true);
    const head = await fetch(`${server.url}${VIDEO}?videoId=${a}&download=1`, { method: 'HEAD', headers: { authorization: `Bearer ${t.sessionToken}` } });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String(clip.length));
    const past = await fetch(`${server.url}${VIDEO}?videoId=${a}&download=1`, { headers: { authorization: `Bearer ${t.sessionToken}`, range: `bytes=${clip.length}-` } });
    expect(past.status).to.equal(416);
    // Another business never gets the bytes.
    expect((await get(`?videoId=${a}&download=1`, tenant.sessionToken)).status).to.equal(404);
  });

  it('lists the business videos with usage, newest first, with limit and status filters', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await createVideo(server, t.sessionToken, { prompt: `Listed video ${i}` })).body.video.id);
    await completeWithFixture(server, ids[0]!);
    const list = await get('?limit=2', t.sessionToken);
    expect(list.status).to.equal(200);
    expect(list.body.videos.map((v: { id: string }) => v.id)).to.deep.equal([ids[2], ids[1]]);
    expect(list.body).to.include({ creditsUsed: 3, monthlyCredits: 100, creditsRemaining: 97 });
    expect(list.body.period).to.have.keys(['start', 'end']);
    const done = await get('?status=completed', t.sessionToken);
    expect(done.body.videos.map((v: { id: string }) => v.id)).to.deep.equal([ids[0]]);
    for (const q of ['?limit=0', '?limit=51', '?status=done']) expect((await get(q, t.sessionToken)).status, q).to.equal(400);
  });
});
