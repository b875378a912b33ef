import { expect } from 'chai';
import { dbKind, request, seedTenant, startTestOrchestrator, type TestServer } from '../helpers/harness.js';

const VIDEO = '/api/v1/video';

describe(`credits under concurrency (${dbKind})`, function () {
  this.timeout(120_000);
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    a = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    // A second orchestrator on the same database: its own connection pool, like another process.
    b = await startTestOrchestrator({ JOB_RUNNER: 'false' }, { dataDir: a.dataDir, shareDbEnv: { ...a.env } as Record<string, string> });
  });
  after(async () => {
    await b.close();
    await a.close();
  });

  it('50 parallel creates at the boundary never overspend (one server)', async () => {
    const t = await seedTenant(a, { plan: 'starter' }); // 20 credits, 1 credit per 5 s video
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => request(a.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: `Parallel spot number ${i}`, duration: 5 } })),
    );
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 202)).to.have.length(20);
    expect(statuses.filter((s) => s === 429)).to.have.length(30);
    const list = await request(a.url + VIDEO + '?limit=50', { token: t.readKey });
    expect(list.body.creditsUsed).to.equal(20);
    expect(list.body.videos).to.have.length(20);
  });

  it('50 parallel creates split over two servers sharing the database never overspend', async () => {
    const t = await seedTenant(a, { plan: 'starter' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        request((i % 2 ? b : a).url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: `Two-server spot ${i}`, duration: i % 3 === 0 ? 15 : 5 } }),
      ),
    );
    const accepted = results.filter((r) => r.status === 202);
    expect(results.every((r) => r.status === 202 || r.status === 429)).to.equal(true);
    const spent = accepted.reduce((sum, r) => sum + r.body.credits, 0);
    expect(spent).to.be.at.most(20);
    expect(spent).to.be.at.least(19); // a 15 s job may be refused with 1 credit left
    const list = await request(b.url + VIDEO + '?limit=50', { token: t.readKey });
    expect(list.body.creditsUsed).to.equal(spent);
    expect(list.body.videos).to.have.length(accepted.length);
  });
});
