/**
 * API benchmark: GET /api/v1/video on a business with 100k jobs (SQLite, or
 * PostgreSQL with DATABASE_URL), and POST creates racing at the credit limit.
 * Prints requests/s and latency percentiles; run with `npm run bench:api`.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../shared/src/logger.js';
import { loadConfig } from '../orchestrator/src/config.js';
import { startOrchestrator } from '../orchestrator/src/orchestrator.js';
import { generateApiKey } from '../orchestrator/src/auth/api-keys.js';
import { nowIso } from '../orchestrator/src/db/time.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 100_000);

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nq-bench-'));
  const schema = process.env.DATABASE_URL ? `bench_${Date.now()}` : undefined;
  const config = loadConfig({ ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', JOB_RUNNER: 'false', DEMO_SEED: 'false', DATABASE_SCHEMA: schema });
  const handle = await startOrchestrator(config, { logger: createLogger('bench', 'silent') });
  const { ctx } = handle;
  try {
    await ctx.accounts.upsertPlan({ name: 'bench', monthlyCredits: 1_000_000, watermarkRequired: false, allowVoice: true, allowMusic: true, allowText: true, premiumNarration: false, customWatermark: false });
    const business = await ctx.accounts.createBusiness({ name: 'Bench', plan: 'bench' });
    const noisy = await ctx.accounts.createBusiness({ name: 'Neighbour', plan: 'bench' });
    const k = generateApiKey();
    await ctx.accounts.insertApiKey({ businessId: business.id, userId: null, keyHash: k.hash, keyPrefix: k.prefix, scopes: ['content:read', 'content:write'] });

    const started = Date.now();
    const ts = nowIso();
    const statuses = ['completed', 'failed', 'processing'];
    for (let i = 0; i < ROWS * 2; i += 500) {
      const rows = Array.from({ length: 500 }, (_, j) => ({
        id: `vid_bench${String(i + j).padStart(16, '0')}`,
        business_id: (i + j) % 2 ? noisy.id : business.id,
        prompt: `Benchmark prompt ${i + j}`,
        duration: 5,
        aspect_ratio: '16:9',
        status: statuses[(i + j) % 3],
        credits: 1,
        provider: 'local',
        created_at: ts,
        updated_at: ts,
      }));
      await ctx.db.batchInsert('video_generations', rows, 500);
    }
    process.stdout.write(`seeded ${ROWS} jobs for the business (+${ROWS} for a neighbour) in ${((Date.now() - started) / 1000).toFixed(1)} s on ${config.databaseUrl ? 'postgres' : 'sqlite'}\n`);

    const headers = { authorization: `Bearer ${k.key}`, 'content-type': 'application/json' };
    for (const [name, path] of [
      ['list newest 20', '/api/v1/video'],
      ['list 50 completed', '/api/v1/video?limit=50&status=completed'],
    ]) {
      const r = await autocannon({ url: `http://127.0.0.1:${handle.port}${path}`, headers, connections: 10, duration: 5 });
      process.stdout.write(`${name.padEnd(20)} ${r.requests.average.toFixed(0)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  errors ${r.errors + r.non2xx}\n`);
    }
    const create = await autocannon({
      url: `http://127.0.0.1:${handle.port}/api/v1/video`,
      method: 'POST',
      headers,
      body: JSON.stringify({ prompt: 'Benchmark create request', duration: 5 }),
      connections: 10,
      duration: 5,
    });
    process.stdout.write(`${'create (202)'.padEnd(20)} ${create.requests.average.toFixed(0)} req/s  p50 ${create.latency.p50} ms  p99 ${create.latency.p99} ms  non-2xx ${create.non2xx}\n`);
  } finally {
    await handle.close();
    if (schema) {
      const { default: knex } = await import('knex');
      const db = knex({ client: 'pg', connection: process.env.DATABASE_URL });
      await db.raw(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await db.destroy();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack}\n`);
  process.exit(1);
});
