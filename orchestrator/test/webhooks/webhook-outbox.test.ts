import { expect } from 'chai';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';

describe(`webhook outbox commits with the outcome it reports (${dbKind})`, function () {
  this.timeout(120_000);
  let server: TestServer;
  before(async () => {
    // No runner loop and no deliverer: the test drives ticks and reads the outbox itself.
    server = await startTestOrchestrator({ JOB_RUNNER: 'false', WEBHOOK_DELIVERY: 'false', WEBHOOK_ALLOW_PRIVATE: 'true' });
  });
  after(() => server.close());

  it('a crash between outcome and outbox cannot happen: both roll back together, then commit together exactly once', async () => {
    const { ctx } = server.handle;
    const t = await seedTenant(server, { plan: 'pro' });
    const hook = await request(server.url + '/api/businesses/me/webhook', { method: 'PUT', token: t.sessionToken, body: { url: 'http://127.0.0.1:9/hook' } });
    expect(hook.status).to.equal(201);
    const created = await request(server.url + '/api/v1/video', { method: 'POST', token: t.writeKey, body: { prompt: 'Outbox atomicity clip', duration: 5 } });
    let crashes = 1;
    ctx.events.onRecord(async () => {
      if (crashes-- > 0) throw new Error('process died before commit');
    });
    const outbox = () => ctx.db('webhook_deliveries').where({ business_id: t.businessId });

    // Drive the runner until the first finish attempt has crashed.
    await waitFor(async () => {
      await ctx.runner.tick();
      return crashes < 0 || (crashes === 0 && (await ctx.videos.get(created.body.id))?.attempts === 1);
    }, 60_000);
    expect((await ctx.videos.get(created.body.id))!.status).to.equal('processing');
    expect(await outbox()).to.have.length(0);
    expect(await ctx.credits.state('generation', created.body.id)).to.equal('held');

    // The next attempts finish it: one outcome, one charge, one outbox row.
    await waitFor(async () => {
      await ctx.runner.tick();
      return (await ctx.videos.get(created.body.id))!.status === 'completed';
    }, 60_000);
    const rows = await outbox();
    expect(rows.map((r) => r.event_type)).to.deep.equal(['video.completed']);
    expect(JSON.parse(rows[0].payload).data.id).to.equal(created.body.id);
    expect(await ctx.credits.state('generation', created.body.id)).to.equal('charged');
  });
});
