import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { startFakeReplicate, type FakeReplicate } from '../../../fixtures/fake-replicate/server.js';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';

const VIDEO = '/api/v1/video';

async function videoById(server: TestServer, token: string, id: string) {
  const list = await request(server.url + VIDEO + '?limit=50', { token });
  return { video: list.body.videos.find((v: { id: string }) => v.id === id), usage: list.body };
}

describe(`generation jobs (${dbKind})`, function () {
  this.timeout(120_000);

  it('local provider: a job completes, keeps its credits, and its clip is stored and probed', async () => {
    const server = await startTestOrchestrator();
    try {
      const t = await seedTenant(server, { plan: 'starter' });
      const created = await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Local provider clip test', duration: 5, aspectRatio: '1:1' } });
      expect(created.status).to.equal(202);
      const done = await waitFor(async () => {
        const { video, usage } = await videoById(server, t.readKey, created.body.id);
        return video.status !== 'processing' ? { video, usage } : null;
      }, 60_000);
      expect(done.video.status).to.equal('completed');
      expect(done.video.completedAt).to.be.a('string');
      expect(done.usage.creditsUsed).to.equal(1);
      const record = await server.handle.ctx.videos.get(created.body.id);
      expect(existsSync(record!.outputPath!)).to.equal(true);
      const probe = await server.handle.ctx.media.probe(record!.outputPath!);
      expect(probe.durationSec).to.be.closeTo(5, 0.1);
      expect([probe.width, probe.height]).to.deep.equal([480, 480]);
      expect(probe.hasAudio).to.equal(true);
      expect(await server.handle.ctx.credits.state('generation', created.body.id)).to.equal('charged');
    } finally {
      await server.close();
    }
  });

  describe('replicate provider against a local fake of its API', () => {
    let fake: FakeReplicate;
    beforeEach(async () => {
      fake = await startFakeReplicate({ token: 'r8_test', pollsUntilDone: 1 });
    });
    afterEach(() => fake.close());
    const env = () => ({ VIDEO_PROVIDER: 'replicate', REPLICATE_API_TOKEN: 'r8_test', REPLICATE_BASE_URL: fake.url, REPLICATE_MODEL: 'acme/video-model' });

    it('a succeeded prediction completes the job; a failed one frees its credits', async () => {
      const server = await startTestOrchestrator(env());
      try {
        const t = await seedTenant(server, { plan: 'starter' });
        const ok = await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Replicate success path', duration: 15, aspectRatio: '9:16' } });
        const okDone = await waitFor(async () => ((await videoById(server, t.readKey, ok.body.id)).video.status === 'completed' ? true : null));
        expect(okDone).to.equal(true);
        const created = fake.requests.find((r) => r.method === 'POST' && r.path.includes('predictions'));
        expect(created!.body).to.deep.include({ input: { prompt: 'Replicate success path', duration: 15, aspect_ratio: '9:16' } });

        fake.setBehaviour('fail');
        const bad = await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Replicate failure path', duration: 30 } });
        expect((await videoById(server, t.readKey, bad.body.id)).usage.creditsUsed).to.equal(2 + 4);
        const failed = await waitFor(async () => {
          const r = await videoById(server, t.readKey, bad.body.id);
          return r.video.status === 'failed' ? r : null;
        });
        expect(failed.video.error).to.be.a('string').and.not.equal('');
        expect(failed.usage.creditsUsed).to.equal(2);
        const failedList = await request(server.url + VIDEO + '?status=failed', { token: t.readKey });
        expect(failedList.body.videos.map((v: { id: string }) => v.id)).to.deep.equal([bad.body.id]);
      } finally {
        await server.close();
      }
    });

    it('a job that outlives JOB_TIMEOUT_MS fails, is canceled at the provider, and costs nothing', async () => {
      fake.setBehaviour('slow');
      const server = await startTestOrchestrator({ ...env(), JOB_TIMEOUT_MS: '1500' });
      try {
        const t = await seedTenant(server, { plan: 'starter' });
        const res = await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'This one never finishes', duration: 5 } });
        const failed = await waitFor(async () => {
          const r = await videoById(server, t.readKey, res.body.id);
          return r.video.status === 'failed' ? r : null;
        });
        expect(failed.video.error).to.match(/timed out/);
        expect(failed.usage.creditsUsed).to.equal(0);
        expect(fake.requests.some((r) => r.method === 'POST' && r.path.endsWith('/cancel'))).to.equal(true);
      } finally {
        await server.close();
      }
    });

    it('a job survives an orchestrator restart and completes under the next process', async () => {
      const first = await startTestOrchestrator({ ...env(), JOB_RUNNER: 'false' });
      const t = await seedTenant(first, { plan: 'starter' });
      const res = await request(first.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Created before the restart', duration: 5 } });
      await first.handle.close(); // keeps data dir and schema
      const second = await startTestOrchestrator({ ...env(), JOB_RUNNER: 'true' }, { dataDir: first.dataDir, shareDbEnv: first.env });
      try {
        const r = await waitFor(async () => {
          const v = await videoById(second, t.readKey, res.body.id);
          return v.video.status === 'completed' ? v : null;
        });
        expect(r.usage.creditsUsed).to.equal(1);
        expect(fake.requests.filter((x) => x.method === 'POST' && /predictions$/.test(x.path))).to.have.length(1);
      } finally {
        await second.close();
        await first.close().catch(() => undefined);
      }
    });
  });
});
