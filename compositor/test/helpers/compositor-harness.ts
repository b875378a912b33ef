import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signBody } from '../../../shared/src/signing.js';
import { createLogger } from '../../../shared/src/logger.js';
import type { ComposeJobView, ComposeSpecInput } from '../../../shared/src/compose-spec.js';
import { loadCompositorConfig, type CompositorConfig } from '../../src/config.js';
import { startCompositor, type RunningCompositor } from '../../src/server.js';
import { responseValidator, type Violation } from '../../../orchestrator/src/docs/response-validator.js';
import { randomUUID } from 'node:crypto';

export const SECRET = 'test-compositor-secret';

export interface Harness {
  compositor: RunningCompositor;
  config: CompositorConfig;
  dataDir: string;
  post: (spec: unknown, headers?: Record<string, string>) => Promise<Response>;
  del: (jobId: string, body?: string) => Promise<Response>;
  waitFor: (jobId: string, timeoutMs?: number, onView?: (view: ComposeJobView) => void) => Promise<ComposeJobView>;
  stop: (keepData?: boolean) => Promise<void>;
}

export async function startHarness(options: { allowedOrigins: string[]; env?: Record<string, string>; dataDir?: string }): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(join(tmpdir(), 'compositor-test-')));
  const config = loadCompositorConfig({
    DATA_DIR: dataDir,
    COMPOSITOR_PORT: '0',
    COMPOSITOR_HOST: '127.0.0.1',
    COMPOSITOR_SECRET: SECRET,
    COMPOSITOR_ALLOWED_ORIGINS: options.allowedOrigins.join(','),
    COMPOSITOR_CONCURRENCY: '1',
    ...options.env,
  });
  // Every response is held to the OpenAPI document; stop() fails on a mismatch.
  const violations: Violation[] = [];
  const compositor = await startCompositor(config, createLogger('compositor-test', process.env.LOG_LEVEL ?? 'silent'), { middleware: [responseValidator(violations, 'compositor')] });
  let sent = 0;
  const post = (spec: unknown, headers: Record<string, string> = {}) => {
    // A unique reference keeps two identical specs sent in the same second from sharing a signature.
    const raw = typeof spec === 'string' ? spec : JSON.stringify({ reference: `test-${++sent}`, ...(spec as object) });
    return fetch(`${compositor.url}/compose`, { method: 'POST', body: raw, headers: { 'content-type': 'application/json', ...signBody(SECRET, raw), ...headers } });
  };
  const del = (jobId: string, body: string = JSON.stringify({ jobId, nonce: randomUUID() })) =>
    fetch(`${compositor.url}/compose/${jobId}`, { method: 'DELETE', body, headers: { 'content-type': 'application/json', ...signBody(SECRET, body) } });
  const waitFor = async (jobId: string, timeoutMs = 120_000, onView?: (view: ComposeJobView) => void) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const view = (await (await fetch(`${compositor.url}/compose/${jobId}`)).json()) as ComposeJobView;
      onView?.(view);
      if (['completed', 'failed', 'canceled'].includes(view.status)) return view;
      if (Date.now() > deadline) throw new Error(`job ${jobId} still ${view.status} after ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return {
    compositor,
    config,
    dataDir,
    post,
    del,
    waitFor,
    stop: async (keepData = false) => {
      await compositor.close();
      if (!keepData) await rm(dataDir, { recursive: true, force: true });
      if (violations.length) throw new Error(`responses that do not match the OpenAPI document:\n${violations.map((v) => `${v.method} ${v.route} ${v.status}: ${v.problem}`).join('\n')}`);
    },
  };
}

/** Posts a spec and waits for the job to finish. */
export async function renderViaApi(h: Harness, spec: ComposeSpecInput, timeoutMs?: number, onView?: (view: ComposeJobView) => void): Promise<ComposeJobView> {
  const res = await h.post(spec);
  if (res.status !== 202) throw new Error(`POST /compose answered ${res.status}: ${await res.text()}`);
  const { jobId } = (await res.json()) as { jobId: string };
  return h.waitFor(jobId, timeoutMs, onView);
}
