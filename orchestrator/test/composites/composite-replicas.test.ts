import { expect } from 'chai';
import type { DomainEvent } from '../../src/events/event-bus.js';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';
import { startFakeCompositor, type FakeCompositor } from './fake-compositor.js';
import { COMPOSITE, creditsUsed, seedVideo } from './composite-fixtures.js';

const SECRET = 'test-compositor-secret';

describe(`composites across two orchestrators on one database (${dbKind})`, function () {
  this.timeout(60_000);
  let fake: FakeCompositor;
  let a: TestServer;
  let b: TestServer;
  const events: DomainEvent[] = [];

  before(async () => {
    fake = await startFakeCompositor({ secret: SECRET });
    const env = { COMPOSITOR_URL: fake.url, COMPOSITOR_SECRET: SECRET, COMPOSITE_WAIT_MS: '0', JOB_POLL_INTERVAL_MS: '50' };
    a = await startTestOrchestrator(env);
    b = await startTestOrchestrator(env, { dataDir: a.dataDir, shareDbEnv: { ...a.env, ...env } as Record<string, string> });
    for (const s of [a, b]) s.handle.ctx.events.on((e) => void (e.type.startsWith('composite.') && events.push(e)));
  });
  after(async () => {
    await b?.close();
    await a?.close();
    await fake?.close();
  });

  it('both pollers race over finished renders: each composite finishes, charges and emits exactly once', async () => {
    const t = await seedTenant(a, { plan: 'starter' });
    const created: string[] = [];
    for (let i = 0; i < 6; i++) {
      const server = i % 2 ? b : a;
      const res = await request(server.url + COMPOSITE, { method: 'POST', token: t.sessionToken, body: { videoId: await seedVideo(a, t, { duration: 5 }) } });
      expect(res.status).to.equal(202);
      created.push(res.body.compositeId as string);
    }
    expect(await creditsUsed(a, t)).to.equal(6);
    fake.finishAll('completed');
    await waitFor(async () => (await a.handle.ctx.db('composites').whereIn('id', created).andWhere({ status: 'completed' })).length === 6, 20_000);
    const ledger = await a.handle.ctx.db('credit_ledger').where({ kind: 'composite' }).whereIn('ref_id', created);
    expect(ledger.map((r) => r.state)).to.deep.equal(Array(6).fill('charged'));
    expect(await creditsUsed(b, t)).to.equal(6);
    await new Promise((r) => setTimeout(r, 300));
    expect(events.filter((e) => e.type === 'composite.completed')).to.have.length(6);
    expect(new Set(events.map((e) => e.data.id)).size).to.equal(6);
  });

  it('a composite left processing by a stopped orchestrator is finished by the next one', async () => {
    const env = { COMPOSITOR_URL: fake.url, COMPOSITOR_SECRET: SECRET, COMPOSITE_WAIT_MS: '0', JOB_RUNNER: 'false' };
    const first = await startTestOrchestrator(env);
    let second: TestServer | undefined;
    try {
      const t = await seedTenant(first, { plan: 'starter' });
      const res = await request(first.url + COMPOSITE, { method: 'POST', token: t.sessionToken, body: { videoId: await seedVideo(first, t) } });
      expect(res.status).to.equal(202);
      await first.handle.close(); // nobody polls; the hold stays until someone advances it
      fake.finishAll('completed');
      second = await startTestOrchestrator({ ...env, JOB_RUNNER: 'true' }, { dataDir: first.dataDir, shareDbEnv: { ...first.env, JOB_RUNNER: 'true' } as Record<string, string> });
      const row = await waitFor(async () => {
        const r = await second!.handle.ctx.db('composites').where({ id: res.body.compositeId }).first();
        return r.status === 'completed' ? r : null;
      }, 20_000);
      expect(row.status).to.equal('completed');
      expect(await second.handle.ctx.credits.state('composite', res.body.compositeId)).to.equal('charged');
    } finally {
      await second?.handle.close();
      await first.close();
    }
  });
});
