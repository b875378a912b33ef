import { expect } from 'chai';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { narrationDir, narrationHash } from '../../src/bundles/index.js';
import { composeSpecSchema } from '../../../shared/src/compose-spec.js';
import { dbKind, request, seedTenant, startTestOrchestrator, type Tenant, type TestServer } from '../helpers/harness.js';
import { CAPTIONS, completedVideo, createVideo, failJob, hostileTokens, VIDEO } from './dashboard-helpers.js';

type Cue = { startSec: number; endSec: number; text: string };

function expectValidCues(cues: Cue[], durationSec: number) {
  expect(cues.length).to.be.greaterThan(0);
  let prev = 0;
  for (const c of cues) {
    expect(c.startSec).to.be.at.least(prev);
    expect(c.endSec).to.be.greaterThan(c.startSec);
    expect(c.endSec).to.be.at.most(durationSec);
    const lines = c.text.split('\n');
    expect(lines.length).to.be.at.most(2);
    for (const l of lines) expect([...l].length).to.be.within(1, 42);
    prev = c.endSec;
  }
}

describe(`dashboard POST ${CAPTIONS} (${dbKind})`, function () {
  this.timeout(120_000);
  let server: TestServer;
  let tenant: Tenant;
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    tenant = await seedTenant(server, { plan: 'pro' });
  });
  after(() => server.close());

  const captions = (body: unknown, token = tenant.sessionToken) => request(server.url + CAPTIONS, { method: 'POST', token, body });
  const used = async (token: string) => (await request(server.url + VIDEO, { token })).body.creditsUsed as number;

  it('makes cues timed to the narration, saves them, charges 1 credit once, then answers charged:false', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const script = 'Meet Bella Bakery. Fresh sourdough, warm croissants and great coffee, every single morning. Visit us today!';
    const id = await completedVideo(server, t.sessionToken, { duration: 15, script, audioConfig: { voiceStartSec: 1.5 } });
    const before = await used(t.sessionToken);
    const first = await captions({ videoId: id }, t.sessionToken);
    expect(first.status).to.equal(200);
    expect(first.body.charged).to.equal(true);
    const cues: Cue[] = first.body.captionCues;
    expectValidCues(cues, 15);
    expect(cues[0]!.startSec).to.equal(1.5);
    expect(cues[0]!.text).to.equal('Meet Bella Bakery.');
    expect(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ')).to.equal(script);
    // Timed to the real narration: the cached WAV of this script at this pace, measured with ffprobe.
    const wav = join(narrationDir(server.handle.ctx), `${narrationHash({ provider: 'local', text: script, speechPace: 1, pitch: 1 })}.wav`);
    expect(existsSync(wav)).to.equal(true);
    const narration = await server.handle.ctx.media.probe(wav);
    const spoken = cues[cues.length - 1]!.endSec - cues[0]!.startSec;
    expect(spoken).to.be.closeTo(Math.min(narration.durationSec, 15 - 1.5), 0.01);
    expect(spoken).to.be.within(3, 13.5);
    expect(first.body.compositeBody).to.deep.equal({ videoId: id, captionCues: cues, captionStyle: 'clean', burnIn: true });
    expect(await used(t.sessionToken)).to.equal(before + 1);
    // The compose spec's caption schema accepts these cues as they are.
    const spec = composeSpecSchema.safeParse({
      output: { aspect: '16:9', durationSec: 15 },
      segments: [{ url: 'http://127.0.0.1/x.mp4' }],
      captions: { cues, style: first.body.compositeBody.captionStyle, burnIn: true },
    });
    expect(spec.success).to.equal(true);

    const stored = (await server.handle.ctx.videos.get(id))!.captions as Record<string, unknown>;
    expect(stored.cues).to.deep.equal(cues);
    expect(stored.chargeRef).to.match(new RegExp(`^${id}:[0-9a-f]{64}$`));
    expect(await server.handle.ctx.credits.state('captions', String(stored.chargeRef))).to.equal('charged');

    const again = await captions({ videoId: id, captionStyle: 'bold', burnIn: false }, t.sessionToken);
    expect(again.status).to.equal(200);
    expect(again.body.charged).to.equal(false);
    expect(again.body.captionCues).to.deep.equal(cues);
    expect(again.body.compositeBody).to.deep.include({ captionStyle: 'bold', burnIn: false });
    expect(await used(t.sessionToken)).to.equal(before + 1);

    const status = await request(`${server.url}${VIDEO}?videoId=${id}`, { token: t.sessionToken });
    expect(status.body.video.captions.captionCues).to.deep.equal(cues);
  });

  it('10 parallel identical requests charge exactly 1 credit and all answer the same cues', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const id = await completedVideo(server, t.sessionToken, { duration: 5, script: 'Ten at once. Only one pays for these captions!' });
    const before = await used(t.sessionToken);
    const results = await Promise.all(Array.from({ length: 10 }, () => captions({ videoId: id }, t.sessionToken)));
    for (const r of results) expect(r.status).to.equal(200);
    expect(results.filter((r) => r.body.charged === true)).to.have.length(1);
    for (const r of results) expect(r.body.captionCues).to.deep.equal(results[0]!.body.captionCues);
    expect(await used(t.sessionToken)).to.equal(before + 1);
    const rows = await server.handle.ctx.db('credit_ledger').where({ business_id: t.businessId, kind: 'captions' });
    expect(rows).to.have.length(1);
  });

  it('a changed script regenerates, charges again, and becomes the bundle script; going back costs nothing', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const id = await completedVideo(server, t.sessionToken, { duration: 15 });
    const base = await used(t.sessionToken);
    const original = (await request(`${server.url}${VIDEO}?videoId=${id}`, { token: t.sessionToken })).body.video.script as string;
    const a = await captions({ videoId: id }, t.sessionToken);
    expect(a.body.charged).to.equal(true);
    const hostile = "It's 100% real: {a} = [b]; c \\ d, e\nnew line — and 🎬 emoji too!";
    const b = await captions({ videoId: id, script: hostile }, t.sessionToken);
    expect(b.status).to.equal(200);
    expect(b.body.charged).to.equal(true);
    expectValidCues(b.body.captionCues, 15);
    expect(b.body.captionCues.map((c: Cue) => c.text.replace(/\n/g, ' ')).join(' ')).to.equal(hostile.replace('\n', ' '));
    expect(await used(t.sessionToken)).to.equal(base + 2);
    const bundle = (await server.handle.ctx.videos.get(id))!.sourceBundle as { script: string; scriptProvided: boolean };
    expect(bundle).to.include({ script: hostile, scriptProvided: true });
    // Same script again (now also the bundle's): saved cues, no charge.
    const b2 = await captions({ videoId: id }, t.sessionToken);
    expect(b2.body).to.include({ charged: false });
    expect(b2.body.captionCues).to.deep.equal(b.body.captionCues);
    // Back to the first script: that caption set was paid for already, so it is saved again for free.
    const back = await captions({ videoId: id, script: original }, t.sessionToken);
    expect(back.status).to.equal(200);
    expect(back.body.captionCues).to.deep.equal(a.body.captionCues);
    expect(back.body.charged).to.equal(false);
    expect(await used(t.sessionToken)).to.equal(base + 2);
    const saved = (await server.handle.ctx.videos.get(id))!;
    expect((saved.captions as { cues: Cue[] }).cues).to.deep.equal(a.body.captionCues);
    expect((saved.sourceBundle as { script: string }).script).to.equal(original);
  });

  it('a changed speech pace or voice start regenerates and charges again', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const script = 'Same words each time. Different pace each time.';
    const slow = await completedVideo(server, t.sessionToken, { duration: 15, script, audioConfig: { speechPace: 0.5 } });
    const fast = await completedVideo(server, t.sessionToken, { duration: 15, script, audioConfig: { speechPace: 2, voiceStartSec: 3 } });
    const s = await captions({ videoId: slow }, t.sessionToken);
    const f = await captions({ videoId: fast }, t.sessionToken);
    expect([s.body.charged, f.body.charged]).to.deep.equal([true, true]);
    const span = (cues: Cue[]) => cues[cues.length - 1]!.endSec - cues[0]!.startSec;
    expect(span(s.body.captionCues)).to.be.greaterThan(span(f.body.captionCues) * 1.5);
    expect(f.body.captionCues[0].startSec).to.equal(3);
  });

  it('narration running past the end is compressed into the remaining time', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const script = 'This script is far too long for a five second slot, so the captions must squeeze into what is left. '.repeat(3);
    const id = await completedVideo(server, t.sessionToken, { duration: 5, script, audioConfig: { voiceStartSec: 2 } });
    const res = await captions({ videoId: id }, t.sessionToken);
    expect(res.status).to.equal(200);
    expectValidCues(res.body.captionCues, 5);
    expect(res.body.captionCues[0].startSec).to.equal(2);
    expect(res.body.captionCues[res.body.captionCues.length - 1].endSec).to.equal(5);
  });

  it('404 for another business video or an unknown id (same answer); 409 while processing or failed', async () => {
    const mine = await completedVideo(server, tenant.sessionToken);
    const other = await seedTenant(server, { plan: 'pro' });
    const theirs = await captions({ videoId: mine }, other.sessionToken);
    const unknown = await captions({ videoId: 'vid_nope' }, other.sessionToken);
    expect(theirs.status).to.equal(404);
    expect(theirs.body).to.deep.equal(unknown.body);
    expect(await used(other.sessionToken)).to.equal(0);
    const processing = (await createVideo(server, tenant.sessionToken)).body.video.id;
    const busy = await captions({ videoId: processing });
    expect(busy.status).to.equal(409);
    expect(busy.body.error.message).to.match(/processing.*completed/);
    const failed = (await createVideo(server, tenant.sessionToken)).body.video.id;
    await failJob(server, failed);
    expect((await captions({ videoId: failed })).status).to.equal(409);
  });

  const invalid: Array<[string, unknown, string]> = [
    ['missing videoId', {}, 'videoId'],
    ['numeric videoId', { videoId: 7 }, 'videoId'],
    ['script object', { videoId: 'vid_x', script: { a: 1 } }, 'script'],
    ['blank script', { videoId: 'vid_x', script: '  \n\t' }, 'script'],
    ['script too long', { videoId: 'vid_x', script: 'é'.repeat(2001) }, 'script'],
    ['captionStyle fancy', { videoId: 'vid_x', captionStyle: 'fancy' }, 'captionStyle'],
    ['burnIn "yes"', { videoId: 'vid_x', burnIn: 'yes' }, 'burnIn'],
  ];
  for (const [name, body, field] of invalid) {
    it(`400 for ${name}`, async () => {
      const res = await captions(body);
      expect(res.status).to.equal(400);
      expect(res.body.error).to.include({ code: 'validation_failed', field });
    });
  }

  it('400 for malformed JSON; 401 for hostile tokens', async () => {
    const bad = await request(server.url + CAPTIONS, { method: 'POST', token: tenant.sessionToken, raw: '{"videoId":', headers: { 'content-type': 'application/json' } });
    expect(bad.status).to.equal(400);
    expect(bad.body.error.code).to.equal('invalid_json');
    for (const [name, token] of Object.entries(hostileTokens(server, tenant.userId, tenant.businessId))) {
      expect((await captions({ videoId: 'vid_x' }, token)).status, name).to.equal(401);
    }
  });

  it('free plan: 403; team member without create_video: 403; both charge nothing', async () => {
    const id = await completedVideo(server, tenant.sessionToken);
    const free = await seedTenant(server, { plan: 'free' });
    const f = await captions({ videoId: id }, free.sessionToken);
    expect(f.status).to.equal(403);
    expect(f.body.error.code).to.equal('plan_not_allowed');

    const { accounts } = server.handle.ctx;
    const team = await accounts.createTeam('Captions team');
    const t = await seedTenant(server, { plan: 'pro', teamId: team.id });
    await accounts.setMembership({ teamId: team.id, userId: t.userId, permissions: ['create_video'] });
    const teamVideo = await completedVideo(server, t.sessionToken);
    await accounts.setMembership({ teamId: team.id, userId: t.userId, permissions: [] });
    const denied = await captions({ videoId: teamVideo }, t.sessionToken);
    expect(denied.status).to.equal(403);
    expect(denied.body.error.code).to.equal('team_permission_required');
    expect((await server.handle.ctx.videos.get(teamVideo))!.captions).to.equal(null);
  });

  it('429 when no credit is left, and nothing is saved', async () => {
    const t = await seedTenant(server, { plan: 'starter' }); // 20 credits
    const id = await completedVideo(server, t.sessionToken, { duration: 30 }); // 4
    for (let i = 0; i < 4; i++) expect((await createVideo(server, t.sessionToken, { duration: 30 })).status).to.equal(202); // 20
    const res = await captions({ videoId: id }, t.sessionToken);
    expect(res.status).to.equal(429);
    expect(res.body.error.code).to.equal('credits_exhausted');
    expect((await server.handle.ctx.videos.get(id))!.captions).to.equal(null);
    expect(await used(t.sessionToken)).to.equal(20);
  });

  it('when narration cannot be made, cues follow the speech-pace estimate', async () => {
    const other = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    try {
      const dir = narrationDir(other.handle.ctx);
      rmSync(dir, { recursive: true, force: true });
      writeFileSync(dir, 'not a directory'); // every synthesis now fails to write its file
      const t = await seedTenant(other, { plan: 'pro' });
      const script = 'One two three four five six seven eight nine ten.'; // 10 words: 4 s at pace 1, 2 s at pace 2
      const id = await completedVideo(other, t.sessionToken, { duration: 15, script, audioConfig: { speechPace: 2, voiceStartSec: 1 } });
      const res = await request(other.url + CAPTIONS, { method: 'POST', token: t.sessionToken, body: { videoId: id } });
      expect(res.status).to.equal(200);
      expect(res.body.charged).to.equal(true);
      const cues: Cue[] = res.body.captionCues;
      expect(cues[0]!.startSec).to.equal(1);
      expect(cues[cues.length - 1]!.endSec).to.equal(3);
    } finally {
      await other.close();
    }
  });
});
