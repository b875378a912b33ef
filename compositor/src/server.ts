import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createLogger, type Logger } from '../../shared/src/logger.js';
import type { CompositorConfig } from './config.js';
import { Ffmpeg, resolveBinaries, type FfmpegCapabilities } from './ffmpeg/ffmpeg-adapter.js';
import { createApp } from './http/app.js';
import { composeRoutes } from './http/compose-routes.js';
import { compositeRoutes } from './http/composite-routes.js';
import { healthRoutes } from './http/health-routes.js';
import { JobManager } from './jobs/job-manager.js';
import { JobStore } from './jobs/job-store.js';
import { CompositeStore } from './storage/composite-store.js';
import { createCompositorMetrics, metricsRoutes } from './http/metrics.js';
import type Koa from 'koa';
import { SharedReplayStore } from './http/replay-store.js';

export interface RunningCompositor {
  url: string;
  port: number;
  /** Every registered route (method + Koa path), for the documentation coverage test. */
  routes: Array<{ method: string; path: string }>;
  close(): Promise<void>;
}

/** Starts the worker: HTTP, the job queue, recovery of jobs a previous process left behind. */
export async function startCompositor(
  config: CompositorConfig,
  logger: Logger = createLogger('compositor', config.logLevel),
  options: { middleware?: Koa.Middleware[] } = {},
): Promise<RunningCompositor> {
  const ffmpeg = new Ffmpeg(await resolveBinaries(config));
  const caps = await ffmpeg.capabilities().catch((err: Error) => {
    logger.error({ err }, 'ffmpeg/ffprobe not runnable; /readyz will say so');
    return { version: 'unavailable', hasXfade: false } satisfies FfmpegCapabilities;
  });
  logger.info({ ffmpeg: caps.version, xfade: caps.hasXfade }, 'ffmpeg detected');

  const composites = new CompositeStore(config.compositesDir);
  await composites.init();
  const workRoot = join(config.stateDir, 'work');
  // Work directories of a previous process are never resumed: clear them.
  await rm(workRoot, { recursive: true, force: true });
  await mkdir(workRoot, { recursive: true });

  let publicUrl = config.publicUrl ?? `http://localhost:${config.port}`;
  // Metrics read the queue at scrape time; `jobs` exists by then.
  const metrics = createCompositorMetrics(() => jobs.stats());
  const jobs: JobManager = new JobManager({
    onFinished: (status, seconds) => metrics.renderFinished(status, seconds),
    store: new JobStore(join(config.stateDir, 'jobs')),
    concurrency: config.concurrency,
    workRoot,
    retentionMs: config.retentionHours * 3600_000,
    logger,
    renderDeps: {
      ffmpeg,
      store: composites,
      fetchLimits: { allowedOrigins: config.allowedOrigins, maxBytes: config.sourceMaxBytes, timeoutMs: config.sourceTimeoutMs },
      fontsDir: config.fontsDir,
      useXfade: caps.hasXfade,
      renderTimeoutMs: config.renderTimeoutMs,
      publicUrl: () => publicUrl,
      logger,
    },
  });

  let readiness: { at: number; result: Promise<FfmpegCapabilities> } | undefined;
  const checkFfmpeg = () => {
    if (!readiness || Date.now() - readiness.at > 10_000) readiness = { at: Date.now(), result: ffmpeg.capabilities() };
    return readiness.result;
  };
  const routers = [
    metricsRoutes(metrics),
    healthRoutes({ checkFfmpeg, stats: () => jobs.stats() }),
    composeRoutes({ jobs, secret: config.secret, replay: new SharedReplayStore(join(config.dataDir, 'compositor-replay')), allowedOrigins: config.allowedOrigins, publicUrl: () => publicUrl }),
    compositeRoutes(composites),
  ];
  const app = createApp(logger, [metrics.middleware, ...(options.middleware ?? [])], routers);
  const routes = routers.flatMap((r) => r.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD' || layer.methods.length === 1).map((method) => ({ method, path: String(layer.path) }))));

  await jobs.recover();
  const server = app.listen(config.port, config.host);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const port = (server.address() as AddressInfo).port;
  if (!config.publicUrl) publicUrl = `http://localhost:${port}`;
  await jobs.start();
  logger.info({ port, publicUrl, concurrency: config.concurrency, allowedOrigins: config.allowedOrigins }, 'compositor listening');

  let closing: Promise<void> | undefined;
  return {
    url: publicUrl,
    port,
    routes,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await jobs.close();
        server.closeAllConnections();
        await stopped;
        await rm(workRoot, { recursive: true, force: true });
      })();
      return closing;
    },
  };
}
