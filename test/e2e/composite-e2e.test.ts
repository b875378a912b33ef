import { expect } from 'chai';
import { request, seedTenant } from '../../orchestrator/test/helpers/harness.js';
import { creditsUsed, downloadAndProbe, generateVideo, pollComposite, startStack, type Stack } from './e2e-stack.js';

const COMPOSITE = '/api/businesses/me/video/composite';

/**
 * The whole product on one machine: dashboard session → generated clip →
 * captions → composite rendered by the real compositor from signed source
 * URLs → the file probed. Full 1920x1080 renders: slow on 2 cores.
 */
describe('e2e: session → clip → captions → composite (real compositor)', function () {
  this.timeout(900_000);
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
  });

  async function commercial(plan: 'starter' | 'pro', extra: Record<string, unknown>) {
    const t = await seedTenant(stack.orchestrator, { plan });
    const url = stack.orchestrator.url;
    const videoId = await generateVideo(stack, t, { prompt: 'Corner Bakery: fresh sourdough every morning', duration: 15, aspectRatio: '16:9' });
    const captions = await request(url + '/api/businesses/me/video/captions', { method: 'POST', token: t.sessionToken, body: { videoId, burnIn: true } });
    expect(captions.status, JSON.stringify(captions.body)).to.equal(200);
    expect(captions.body.charged).to.equal(true);
    const started = Date.now();
    const res = await request(url + COMPOSITE, { method: 'POST', token: t.sessionToken, body: { ...captions.body.compositeBody, music: 'upbeat', ...extra } });
    expect([200, 202], JSON.stringify(res.body)).to.include(res.status);
    const done = res.body.status === 'processing' ? await pollComposite(stack, t, res.body.jobToken) : res.body;
    const renderSec = (Date.now() - started) / 1000;
    expect(done.status, JSON.stringify(done)).to.equal('completed');
    expect(done.charged).to.equal(true);
    const probe = await downloadAndProbe(stack, done.composite.url);
    expect(probe.durationSec).to.be.closeTo(15, 0.1);
    expect([probe.width, probe.height]).to.deep.equal([1920, 1080]);
    expect(probe.hasAudio).to.equal(true);
    expect(await creditsUsed(stack, t)).to.equal(2 + 1 + 1);
    console.log(`      ${plan}: 15 s 1920x1080 composite rendered in ${renderSec.toFixed(1)} s; dropped=${JSON.stringify(done.dropped)}`);
    return done;
  }

  it('starter: music + burned-in captions + NearIQ watermark (voice dropped); 15.0 s, 1920x1080, audio; credits 2 + 1 + 1', async () => {
    const done = await commercial('starter', { voice: true });
    expect(done.dropped).to.deep.equal(['voice']);
  });

  it('pro: with narration (voice), no watermark', async () => {
    const done = await commercial('pro', { voice: true });
    expect(done.dropped).to.deep.equal([]);
  });
});
