import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadCompositorConfig } from '../../compositor/src/config.js';
import { startCompositor, type RunningCompositor } from '../../compositor/src/server.js';
import { createLogger } from '../../shared/src/logger.js';
import { request, startTestOrchestrator, waitFor, type Tenant, type TestServer } from '../../orchestrator/test/helpers/harness.js';
import { freePort } from '../../scripts/free-port.js';
export { freePort };


export interface Stack {
  orchestrator: TestServer;
  compositor: RunningCompositor;
  dataDir: string;
  close(): Promise<void>;
}

/**
 * A real orchestrator and a real compositor on free ports, sharing one temp
 * DATA_DIR and COMPOSITOR_SECRET; the compositor may fetch only from the
 * orchestrator's origin.
 */
export async function startStack(env: Record<string, string> = {}): Promise<Stack> {
  const dataDir = mkdtempSync(join(tmpdir(), 'nq-e2e-'));
  const secret = randomBytes(24).toString('hex');
  const [orchPort, compPort] = [await freePort(), await freePort()];
  const orchUrl = `http://127.0.0.1:${orchPort}`;
  const compUrl = `http://127.0.0.1:${compPort}`;
  const compositor = await startCompositor(
    loadCompositorConfig({
      DATA_DIR: dataDir,
      COMPOSITOR_PORT: String(compPort),
      COMPOSITOR_HOST: '127.0.0.1',
      COMPOSITOR_PUBLIC_URL: compUrl,
      COMPOSITOR_SECRET: secret,
      COMPOSITOR_ALLOWED_ORIGINS: orchUrl,
      COMPOSITOR_CONCURRENCY: '1',
      LOG_LEVEL: 'silent',
    }),
    createLogger('compositor-e2e', process.env.TEST_LOG_LEVEL ?? 'silent'),
  );
  let orchestrator: TestServer;
  try {
    orchestrator = await startTestOrchestrator(
      { PORT: String(orchPort), PUBLIC_URL: orchUrl, COMPOSITOR_URL: compUrl, COMPOSITOR_SECRET: secret, COMPOSITE_WAIT_MS: '2000', JOB_POLL_INTERVAL_MS: '250', ...env },
      { dataDir },
    );
  } catch (err) {
    await compositor.close();
    throw err;
  }
  return {
    orchestrator,
    compositor,
    dataDir,
    close: async () => {
      await orchestrator.close();
      await compositor.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** POST /api/businesses/me/video and wait for the local provider to finish it. */
export async function generateVideo(stack: Stack, tenant: Tenant, body: Record<string, unknown>): Promise<string> {
  const url = stack.orchestrator.url + '/api/businesses/me/video';
  const created = await request(url, { method: 'POST', token: tenant.sessionToken, body });
  if (created.status !== 202) throw new Error(`create answered ${created.status}: ${JSON.stringify(created.body)}`);
  const id = created.body.video.id as string;
  await waitFor(async () => {
    const r = await request(`${url}?videoId=${id}`, { token: tenant.sessionToken });
    if (r.body.video.status === 'failed') throw new Error(`generation failed: ${r.body.video.error}`);
    return r.body.video.status === 'completed';
  }, 180_000, 250);
  return id;
}

/** Polls GET composite until it leaves processing. */
export async function pollComposite(stack: Stack, tenant: Tenant, jobToken: string): Promise<any> {
  return waitFor(async () => {
    const r = await request(`${stack.orchestrator.url}/api/businesses/me/video/composite?jobToken=${encodeURIComponent(jobToken)}`, { token: tenant.sessionToken });
    return r.body.status !== 'processing' ? r.body : null;
  }, 600_000, 500);
}

/** Downloads the finished composite and probes it. */
export async function downloadAndProbe(stack: Stack, url: string) {
  const res = await fetch(url);
  if (res.status !== 200) throw new Error(`download answered ${res.status}`);
  const file = join(stack.dataDir, `dl-${randomBytes(4).toString('hex')}.mp4`);
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return stack.orchestrator.handle.ctx.media.probe(file);
}

export async function creditsUsed(stack: Stack, tenant: Tenant): Promise<number> {
  return (await request(stack.orchestrator.url + '/api/v1/video?limit=1', { token: tenant.readKey })).body.creditsUsed;
}
