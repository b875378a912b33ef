import { fileURLToPath } from 'node:url';
import type { OrchestratorContext } from '../orchestrator.js';

export interface CheckResult {
  status: 'ok' | 'unavailable';
  ms: number;
  error?: string;
}

export interface CompositorCheck extends CheckResult {
  url: string;
}

const PROBE_FIXTURE = fileURLToPath(new URL('../../../fixtures/media/testsrc.mp4', import.meta.url));

async function timed(run: () => Promise<void>): Promise<CheckResult> {
  const started = Date.now();
  try {
    await run();
    return { status: 'ok', ms: Date.now() - started };
  } catch (err) {
    return { status: 'unavailable', ms: Date.now() - started, error: (err as Error).message || 'failed' };
  }
}

export function databaseReady(ctx: Pick<OrchestratorContext, 'db'>): Promise<CheckResult> {
  return timed(async () => {
    await ctx.db.raw('select 1');
  });
}

/** GETs `<worker>/healthz` on every COMPOSITOR_URL entry in parallel, each with a short timeout. */
export function compositorReady(ctx: Pick<OrchestratorContext, 'config'>): Promise<CompositorCheck[]> {
  const timeoutMs = ctx.config.observability.readyTimeoutMs;
  return Promise.all(
    ctx.config.compositorUrls.map(async (url) => {
      const result = await timed(async () => {
        const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(timeoutMs) });
        await res.body?.cancel();
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
      });
      if (result.error?.includes('aborted due to timeout')) result.error = `no answer within ${timeoutMs} ms`;
      return { url, ...result };
    }),
  );
}

/** `ffmpeg -version` and ffprobe on a fixture clip, through the orchestrator's MediaTool: both binaries are there and work. */
export function ffmpegReady(ctx: Pick<OrchestratorContext, 'media' | 'config'>): Promise<CheckResult> {
  const timeoutMs = ctx.config.observability.readyTimeoutMs * 5;
  return timed(async () => {
    const [, probe] = await Promise.all([ctx.media.run(['-version'], { timeoutMs }), ctx.media.probe(PROBE_FIXTURE, AbortSignal.timeout(timeoutMs))]);
    if (!probe.hasVideo) throw new Error('ffprobe found no video stream in the fixture clip');
  });
}
