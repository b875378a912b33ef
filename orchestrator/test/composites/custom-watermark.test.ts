import { expect } from 'chai';
import { watermarkFor, watermarkNote } from '../../src/composites/plan-rules.js';
import { request, seedTenant, startTestOrchestrator, type TestServer } from '../helpers/harness.js';
import { startFakeCompositor, type FakeCompositor } from './fake-compositor.js';
import { COMPOSITE, seedVideo } from './composite-fixtures.js';

const SECRET = 'test-compositor-secret';
const plan = (name: string, over: { customWatermark: boolean; watermarkRequired: boolean }) => ({
  name,
  monthlyCredits: 100,
  allowVoice: true,
  allowMusic: true,
  allowText: true,
  premiumNarration: false,
  ...over,
});

describe('custom watermark text (agency)', function () {
  this.timeout(60_000);

  it('request text wins over the saved text on plans that may set one; other plans keep theirs and are told', () => {
    const agency = plan('agency', { customWatermark: true, watermarkRequired: false });
    const starter = plan('starter', { customWatermark: false, watermarkRequired: true });
    expect(watermarkFor(agency, { watermarkText: 'Saved Co' }, 'Launch Week')).to.equal('Launch Week');
    expect(watermarkFor(agency, { watermarkText: 'Saved Co' })).to.equal('Saved Co');
    expect(watermarkFor(starter, { watermarkText: null }, 'Mine')).to.equal('NearIQ');
    expect(watermarkNote(starter, 'Mine')).to.match(/cannot set its own watermark text; the "NearIQ" watermark was used/);
    expect(watermarkNote(agency, 'Mine')).to.equal(undefined);
  });

  describe('through the API', () => {
    let fake: FakeCompositor;
    let server: TestServer;
    before(async () => {
      fake = await startFakeCompositor({ secret: SECRET });
      server = await startTestOrchestrator({ COMPOSITOR_URL: fake.url, COMPOSITOR_SECRET: SECRET, COMPOSITE_WAIT_MS: '0', JOB_RUNNER: 'false' });
    });
    after(async () => {
      await server.close();
      await fake.close();
    });
    const lastSpec = () => [...fake.jobs.values()].at(-1)!.spec;

    it('agency: the saved business text, or the request text; starter: NearIQ with a note; hostile text is refused', async () => {
      const agency = await seedTenant(server, { plan: 'agency' });
      await server.handle.ctx.accounts.setWatermarkText(agency.businessId, 'Acme Studio');
      const videoId = await seedVideo(server, agency);
      const saved = await request(server.url + COMPOSITE, { method: 'POST', token: agency.sessionToken, body: { videoId, voice: false } });
      expect(saved.status).to.equal(202);
      expect(lastSpec().watermark).to.deep.include({ text: 'Acme Studio' });
      const asked = await request(server.url + COMPOSITE, { method: 'POST', token: agency.sessionToken, body: { videoId, voice: false, watermarkText: '  Launch: 50% {off} ' } });
      expect(asked.status).to.equal(202);
      expect(lastSpec().watermark).to.deep.include({ text: 'Launch: 50% {off}' });
      for (const bad of ['', 'x'.repeat(61), 'line\nbreak', 42]) {
        const res = await request(server.url + COMPOSITE, { method: 'POST', token: agency.sessionToken, body: { videoId, watermarkText: bad } });
        expect(res.status, JSON.stringify(bad)).to.equal(400);
        expect(res.body.error.field).to.equal('watermarkText');
      }

      const starter = await seedTenant(server, { plan: 'starter' });
      const starterVideo = await seedVideo(server, starter);
      const res = await request(server.url + COMPOSITE, { method: 'POST', token: starter.sessionToken, body: { videoId: starterVideo, voice: false, watermarkText: 'Mine' } });
      expect(res.status).to.equal(202);
      expect(lastSpec().watermark).to.deep.include({ text: 'NearIQ' });
      expect(res.body.notes.join(' ')).to.match(/cannot set its own watermark text/);
    });
  });
});
