import { expect } from 'chai';
import { seedTenant } from '../../orchestrator/test/helpers/harness.js';
import { request } from '../../orchestrator/test/helpers/harness.js';
import { creditsUsed, downloadAndProbe, generateVideo, pollComposite, startStack, type Stack } from './e2e-stack.js';

describe('e2e: three 5 s clips stitched with fades into a 30 s 9:16 commercial (real compositor)', function () {
  this.timeout(900_000);
  let stack: Stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.close();
  });

  it('renders 30.0 s at 1080x1920 with audio and charges 1 credit on top of 3 × 1', async () => {
    const t = await seedTenant(stack.orchestrator, { plan: 'starter' });
    const clipIds: string[] = [];
    for (const prompt of ['Morning at the bakery', 'Sourdough out of the oven', 'Coffee and a croissant']) {
      clipIds.push(await generateVideo(stack, t, { prompt, duration: 5, aspectRatio: '9:16' }));
    }
    const started = Date.now();
    const res = await request(stack.orchestrator.url + '/api/businesses/me/video/composite-clips', {
      method: 'POST',
      token: t.sessionToken,
      body: { clipIds, transition: { type: 'fade', durationSec: 0.5 }, style: 'promo', duration: 30, aspect: '9:16' },
    });
    expect([200, 202], JSON.stringify(res.body)).to.include(res.status);
    const done = res.body.status === 'processing' ? await pollComposite(stack, t, res.body.jobToken) : res.body;
    const renderSec = (Date.now() - started) / 1000;
    expect(done.status, JSON.stringify(done)).to.equal('completed');
    const probe = await downloadAndProbe(stack, done.composite.url);
    expect(probe.durationSec).to.be.closeTo(30, 0.1);
    expect([probe.width, probe.height]).to.deep.equal([1080, 1920]);
    expect(probe.hasAudio).to.equal(true);
    expect(await creditsUsed(stack, t)).to.equal(3 + 1);
    console.log(`      clips: 30 s 1080x1920 stitch rendered in ${renderSec.toFixed(1)} s`);
  });
});
