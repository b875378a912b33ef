import type { Server } from 'node:http';
import { join } from 'node:path';
import type Router from '@koa/router';
import type Koa from 'koa';
import { AppError } from '../../shared/src/errors.js';
import { createLogger, type Logger } from '../../shared/src/logger.js';
import { AccessControl } from './auth/access.js';
import { AccountRepository } from './auth/account-repository.js';
import type { OrchestratorConfig } from './config.js';
import { CreditLedger } from './credits/credit-ledger.js';
import { connectDb, migrate, type Db } from './db/connect.js';
import RouterClass from '@koa/router';
import { buildApp, InFlight } from './http/app.js';
import { registerHealthRoutes } from './http/health-routes.js';
import { resolveFfmpegPaths } from './media/ffmpeg-paths.js';
import { MediaTool } from './media/media-tool.js';
import { createGenerationProvider } from './providers/generation/index.js';
import type { GenerationProvider } from './providers/generation/types.js';
import { LocalStorage } from './storage/local-storage.js';
import { GenerationRunner } from './videos/generation-runner.js';
import { registerV1Routes } from './videos/v1-routes.js';
import { VideoRepository } from './videos/video-repository.js';
import { VideoService, type GenerationAvailability } from './videos/video-service.js';
import { EventBus } from './events/event-bus.js';

/** Everything a running orchestrator holds; route modules receive what they need from here. */
export interface OrchestratorContext {
  config: OrchestratorConfig;
  logger: Logger;
  db: Db;
  accounts: AccountRepository;
  access: AccessControl;
  credits: CreditLedger;
  videos: VideoRepository;
  videoService: VideoService;
  media: MediaTool;
  storage: LocalStorage;
  provider: GenerationProvider | null;
  runner: GenerationRunner;
  events: EventBus;
  /** Background loops added by route modules; each is stopped (awaited) on close, before the database closes. */
  onClose: Array<() => Promise<void>>;
  /** Koa middleware added by modules (metrics); runs after the request id, before routing. */
  middleware: Koa.Middleware[];
}

export interface OrchestratorHandle {
  url: string;
  port: number;
  /** Every registered route (method + Koa path), for the documentation coverage test. */
  routes: Array<{ method: string; path: string }>;
  ctx: OrchestratorContext;
  close(): Promise<void>;
}

export type ExtraRoutes = (router: Router, ctx: OrchestratorContext) => void;

const extraRoutes: ExtraRoutes[] = [];
/** Parts that add routes (dashboard, docs, metrics) register here at import time. */
export function addRoutes(register: ExtraRoutes): void {
  extraRoutes.push(register);
}

export async function createContext(config: OrchestratorConfig, options: { logger?: Logger; provider?: GenerationProvider | null } = {}): Promise<OrchestratorContext> {
  const logger = options.logger ?? createLogger('orchestrator', config.logLevel);
  const db = connectDb({ dataDir: config.dataDir, databaseUrl: config.databaseUrl, databaseSchema: config.databaseSchema });
  await migrate(db);
  const accounts = new AccountRepository(db);
  const paths = resolveFfmpegPaths({ ffmpegPath: config.ffmpegPath, ffprobePath: config.ffprobePath });
  const media = new MediaTool({ ffmpegPath: paths.ffmpeg, ffprobePath: paths.ffprobe, logger });
  const storage = new LocalStorage(config.dataDir);

  let provider: GenerationProvider | null = null;
  let availability: GenerationAvailability;
  try {
    provider =
      options.provider !== undefined
        ? options.provider
        : createGenerationProvider(
            {
              kind: config.videoProvider,
              local: { workDir: join(config.dataDir, 'provider-local'), size: config.localProvider.size, fontPath: config.fontPath, maxParallel: config.localProvider.maxParallel },
              replicate: config.replicate,
            },
            { media, logger },
          );
    availability = { providerName: provider?.name ?? null };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    logger.warn({ reason: err.message }, 'video generation is not available');
    availability = { providerName: null, reason: err };
  }

  const events = new EventBus(logger);
  const videos = new VideoRepository(db);
  const credits = new CreditLedger(db);
  const runner = new GenerationRunner(
    { db, videos, credits, provider, media, storage, logger, events },
    config.jobs,
  );
  const videoService = new VideoService({ db, videos, credits, availability, onCreated: () => runner.nudge() });
  const access = new AccessControl(accounts, config.secrets.sessionSecret);
  return { config, logger, db, accounts, access, credits, videos, videoService, media, storage, provider, runner, events, onClose: [], middleware: [] };
}

/**
 * Starts the orchestrator: migrations, the job runner and the HTTP server.
 * close() stops taking requests, lets in-flight ones finish, stops the runner
 * (its leases lapse, so a restart resumes every job) and closes the database.
 */
export async function startOrchestrator(
  config: OrchestratorConfig,
  options: { logger?: Logger; provider?: GenerationProvider | null; middleware?: Koa.Middleware[] } = {},
): Promise<OrchestratorHandle> {
  const ctx = await createContext(config, options);
  ctx.middleware.unshift(...(options.middleware ?? []));
  const router = new RouterClass();
  registerHealthRoutes(router);
  registerV1Routes(router, { access: ctx.access, videos: ctx.videoService });
  for (const register of extraRoutes) register(router, ctx);
  const inFlight = new InFlight();
  const app = buildApp({ logger: ctx.logger, bodyLimitBytes: config.bodyLimitBytes, router, middleware: ctx.middleware, inFlight });
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(config.port, config.host);
    s.once('listening', () => resolve(s));
    s.once('error', reject);
  });
  server.keepAliveTimeout = 5000;
  const port = (server.address() as { port: number }).port;
  if (config.jobs.enabled) ctx.runner.start();
  // With PORT=0 (tests) the public URL learns the real port, so signed URLs point at this server.
  const url = config.publicUrl.replace(/:0$/, `:${port}`);
  config.publicUrl = url;
  ctx.logger.info({ url, port, database: config.databaseUrl ? 'postgres' : 'sqlite', provider: ctx.provider?.name ?? 'none' }, 'orchestrator listening');

  let closing: Promise<void> | null = null;
  const routes = router.stack.flatMap((layer) => layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, path: String(layer.path) })));
  return {
    url,
    port,
    routes,
    ctx,
    close: () =>
      (closing ??= (async () => {
        const drained = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await ctx.runner.stop();
        await Promise.all(ctx.onClose.map((stop) => stop().catch((err) => ctx.logger.error({ err }, 'stopping a background loop failed'))));
        await drained;
        await inFlight.idle(30_000); // handlers whose client already hung up still finish their writes
        await ctx.db.destroy();
      })()),
  };
}
