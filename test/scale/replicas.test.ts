import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { AccountRepository } from '../../orchestrator/src/auth/account-repository.js';
import { issueSessionToken } from '../../orchestrator/src/auth/sessions.js';
import { freePort } from '../../scripts/free-port.js';

/**
 * Scale-out on one PostgreSQL database: two orchestrator processes and two
 * compositor processes, a concurrent workload through both orchestrators,
 * and one compositor killed mid-render.
 */
const PG_URL = process.env.TEST_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/test';


interface Proc {
  name: string;
  child: ChildProcess;
  url: string;
  lines: Array<Record<string, unknown>>;
}

function launch(name: string, entry: string, env: Record<string, string>, url: string): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const proc: Proc = { name, child, url, lines: [] };
  let buffer = '';
  child.stdout!.on('data', (chunk: Buffer) => {
    buffer += chunk.toString();
    const parts = buffer.split('\n');
    buffer = parts.pop()!;
    for (const line of parts) {
      try {
        proc.lines.push(JSON.parse(line));
      } catch {
        /* banner lines */
      }
    }
  });
  child.stderr!.on('data', () => undefined);
  return proc;
}

async function until<T>(check: () => Promise<T | undefined | null | false>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check().catch(() => undefined);
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function call(url: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('scale-out: two orchestrators and two compositors on one PostgreSQL database', function () {
  this.timeout(300_000);
  const schema = `t_scale_${randomBytes(5).toString('hex')}`;
  let dataDir: string;
  let db: Knex;
  const procs: Proc[] = [];
  let orchestrators: Proc[];
  let compositors: Proc[];
  let token: string;
  let businessId: string;

  before(async function () {
    db = knexFactory({ client: 'pg', connection: PG_URL, searchPath: [schema], pool: { min: 0, max: 2 } });
    try {
      await db.raw('select 1');
    } catch {
      await db.destroy();
      this.skip(); // no PostgreSQL here: CI always has one
    }
    dataDir = mkdtempSync(join(tmpdir(), 'nq-scale-'));
    const secrets = { COMPOSITOR_SECRET: randomBytes(24).toString('hex'), SESSION_SECRET: randomBytes(24).toString('hex') };
    const [o1, o2, c1, c2] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const orchUrls = [o1, o2].map((p) => `http://127.0.0.1:${p}`);
    const compUrls = [c1, c2].map((p) => `http://127.0.0.1:${p}`);
    compositors = [c1, c2].map((port, i) =>
      launch(
        `compositor-${i + 1}`,
        'compositor/src/main.ts',
        {
          ...secrets,
          DATA_DIR: dataDir,
          COMPOSITOR_STATE_DIR: join(dataDir, `compositor-state-${i + 1}`),
          COMPOSITOR_PORT: String(port),
          COMPOSITOR_HOST: '127.0.0.1',
          COMPOSITOR_PUBLIC_URL: compUrls[i],
          COMPOSITOR_ALLOWED_ORIGINS: orchUrls.join(','),
          COMPOSITOR_CONCURRENCY: '1',
          LOG_LEVEL: 'info',
        },
        compUrls[i],
      ),
    );
    procs.push(...compositors);
    const orchEnv = (port: number, i: number) => ({
      ...secrets,
      DATABASE_URL: PG_URL,
      DATABASE_SCHEMA: schema,
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: orchUrls[i],
      COMPOSITOR_URL: compUrls.join(','),
      LOCAL_PROVIDER_SIZE: 'preview',
      JOB_POLL_INTERVAL_MS: '200',
      COMPOSITE_WAIT_MS: '0',
      DEMO_SEED: 'false',
      LOG_LEVEL: 'info',
    });
    // The first one migrates the fresh schema; then the second joins it.
    orchestrators = [launch('orchestrator-1', 'orchestrator/src/main.ts', orchEnv(o1, 0), orchUrls[0])];
    procs.push(orchestrators[0]);
    await until(() => fetch(`${orchUrls[0]}/healthz`).then((r) => r.ok), 60_000, 'orchestrator-1');
    orchestrators.push(launch('orchestrator-2', 'orchestrator/src/main.ts', orchEnv(o2, 1), orchUrls[1]));
    procs.push(orchestrators[1]);
    for (const p of procs) await until(() => fetch(`${p.url}/healthz`).then((r) => r.ok), 60_000, p.name);

    const accounts = new AccountRepository(db);
    await accounts.upsertPlan({ name: 'scale', monthlyCredits: 20, watermarkRequired: false, allowVoice: false, allowMusic: true, allowText: true, premiumNarration: false, customWatermark: false });
    const user = await accounts.createUser('scale@example.test');
    businessId = (await accounts.createBusiness({ name: 'Scale Co', plan: 'scale' })).id;
    token = issueSessionToken(secrets.SESSION_SECRET, { userId: user.id, businessId, ttlSec: 3600 });
  });

  after(async () => {
    const running = procs.filter((p) => p.child.exitCode === null && p.child.signalCode === null);
    const exits = running.map((p) => new Promise((r) => p.child.once('exit', r)));
    for (const p of running) p.child.kill('SIGTERM');
    const stuck = setTimeout(() => running.forEach((p) => p.child.kill('SIGKILL')), 20_000);
    await Promise.all(exits);
    clearTimeout(stuck);
    const codes = running.map((p) => `${p.name}:${p.child.exitCode}`);
    if (db) {
      await db.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await db.destroy();
    }
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    // Every process that was asked to stop drained and exited cleanly.
    expect(codes).to.deep.equal(running.map((p) => `${p.name}:0`));
  });

  const usage = async () => (await call(`${orchestrators[1].url}/api/businesses/me/video`, token)).body.creditsUsed as number;
  const poll = async (jobToken: string, i: number) =>
    (await call(`${orchestrators[i % 2].url}/api/businesses/me/video/composite?jobToken=${encodeURIComponent(jobToken)}`, token)).body;

  it('runs every generation exactly once across both runners, composites spread over both workers, credits exact', async () => {
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        call(`${orchestrators[i % 2].url}/api/businesses/me/video`, token, { prompt: `Replica workload clip ${i}`, duration: 5, aspectRatio: '16:9' }),
      ),
    );
    expect(created.map((c) => c.status)).to.deep.equal(Array(10).fill(202));
    const ids = created.map((c) => c.body.video.id as string);
    await until(
      async () => {
        const list = (await call(`${orchestrators[0].url}/api/businesses/me/video?limit=50`, token)).body.videos as Array<{ status: string }>;
        return list.length === 10 && list.every((v) => v.status === 'completed');
      },
      120_000,
      'all generations',
    );
    // Each job was finished by exactly one runner.
    const finished = orchestrators.flatMap((o) => o.lines.filter((l) => l.msg === 'generation finished').map((l) => l.videoId as string));
    expect([...finished].sort()).to.deep.equal([...ids].sort());
    expect(await usage()).to.equal(10);

    const composites = await Promise.all(
      ids.slice(0, 8).map((videoId, i) => call(`${orchestrators[i % 2].url}/api/businesses/me/video/composite`, token, { videoId, voice: false, size: 'preview', burnIn: false })),
    );
    expect(composites.map((c) => c.status).every((s) => s === 200 || s === 202)).to.equal(true);
    expect(await usage()).to.equal(18); // 8 holds count while rendering
    const outputs = await Promise.all(
      composites.map((c, i) =>
        until(
          async () => {
            const answers = await Promise.all([poll(c.body.jobToken, i), poll(c.body.jobToken, i + 1)]); // both replicas poll the same job
            const done = answers.find((a) => a.status !== 'processing');
            return done;
          },
          180_000,
          'composite',
        ),
      ),
    );
    expect(outputs.map((o) => o.status)).to.deep.equal(Array(8).fill('completed'));
    const workers = new Set(outputs.map((o) => new URL(o.composite.url).origin));
    expect([...workers].sort()).to.deep.equal(compositors.map((c) => c.url).sort());
    expect(await usage()).to.equal(18);
    const ledger = await db('credit_ledger').where({ business_id: businessId }).select('kind', 'state');
    expect(ledger.filter((r) => r.kind === 'generation' && r.state === 'charged')).to.have.length(10);
    expect(ledger.filter((r) => r.kind === 'composite' && r.state === 'charged')).to.have.length(8);
    expect(ledger.filter((r) => r.state === 'held')).to.have.length(0);
  });

  it('a compositor killed mid-render fails its composite without a charge; the other worker takes the rest to the credit limit', async () => {
    const clips = ((await call(`${orchestrators[0].url}/api/businesses/me/video?limit=50`, token)).body.videos as Array<{ id: string }>).map((v) => v.id);
    const started = await call(`${orchestrators[0].url}/api/businesses/me/video/composite-clips`, token, {
      clipIds: clips.slice(0, 3),
      transition: { type: 'fade', durationSec: 0.5 },
      duration: 30,
      aspect: '9:16',
    });
    expect(started.status).to.equal(202);
    expect(await usage()).to.equal(19);
    const row = await until(async () => {
      const r = await db('composites').where({ id: started.body.compositeId }).first();
      return r?.worker_url ? r : null;
    }, 10_000, 'worker assignment');
    const victim = compositors.find((c) => c.url === row.worker_url)!;
    victim.child.kill('SIGKILL');
    const failed = await until(async () => {
      const a = await poll(started.body.jobToken, 1);
      return a.status === 'failed' ? a : null;
    }, 120_000, 'failure after the kill');
    expect(failed.charged).to.equal(false);
    expect(failed.error.code).to.be.a('string');
    expect(await usage()).to.equal(18);

    // Two credits left; four parallel composites through both orchestrators: two are held, two refused.
    const racing = await Promise.all(
      clips.slice(0, 4).map((videoId, i) => call(`${orchestrators[i % 2].url}/api/businesses/me/video/composite`, token, { videoId, voice: false, size: 'preview', burnIn: false })),
    );
    expect(racing.map((r) => r.status).sort()).to.deep.equal([202, 202, 429, 429]);
    const survivors = racing.filter((r) => r.status === 202);
    const done = await Promise.all(survivors.map((r, i) => until(async () => ((await poll(r.body.jobToken, i)).status === 'completed' ? true : null), 180_000, 'survivor')));
    expect(done).to.deep.equal([true, true]);
    expect(await usage()).to.equal(20);
    const held = await db('credit_ledger').where({ business_id: businessId, state: 'held' });
    expect(held).to.have.length(0);
  });
});
