import type Router from '@koa/router';
import { sessionAccess, type Access } from '../auth/access.js';
import { ensureNarration } from '../bundles/narration-cache.js';
import { parseWith } from '../http/validate.js';
import { addRoutes, type OrchestratorContext } from '../orchestrator.js';
import { sourceUrls } from '../sources/index.js';
import { CompositeLifecycle } from './composite-lifecycle.js';
import { CompositePoller } from './composite-poller.js';
import { CompositeRepository } from './composite-repository.js';
import { clipsBodySchema, compositeBodySchema, pollQuerySchema } from './composite-schemas.js';
import { CompositeService } from './composite-service.js';
import { CompositorClient } from './compositor-client.js';
import { registerMusicRoute } from './music-files.js';

/** The longest a dead compositor is waited for (and at least 3 failed polls), capped at a quarter of the composite timeout. */
const UNREACHABLE_GRACE_MS = 15_000;

export interface CompositeParts {
  service: CompositeService;
  lifecycle: CompositeLifecycle;
  poller: CompositePoller;
  composites: CompositeRepository;
}

/** Builds the composite parts from the orchestrator's context. */
export function createCompositeParts(ctx: OrchestratorContext): CompositeParts {
  const { config } = ctx;
  const composites = new CompositeRepository(ctx.db);
  const client = new CompositorClient({ workerUrls: config.compositorUrls, secret: config.secrets.compositorSecret });
  const lifecycle = new CompositeLifecycle(
    { db: ctx.db, composites, credits: ctx.credits, client, events: ctx.events, logger: ctx.logger },
    { timeoutMs: config.composite.timeoutMs, unreachableGraceMs: Math.min(UNREACHABLE_GRACE_MS, Math.floor(config.composite.timeoutMs / 4)) },
  );
  const sources = sourceUrls(ctx);
  const service = new CompositeService({
    composites,
    credits: ctx.credits,
    videos: ctx.videos,
    lifecycle,
    client,
    urls: { video: (id) => sources.video(id), narration: (f) => sources.narration(f), music: (mood) => sources.music(mood) },
    narrate: (input) => ensureNarration({ ctx, ...input }),
    logger: ctx.logger,
    waitMs: config.composite.waitMs,
  });
  const poller = new CompositePoller(
    { composites, lifecycle, logger: ctx.logger },
    { intervalMs: Math.max(config.jobs.pollIntervalMs, 250), leaseMs: config.jobs.leaseMs },
  );
  return { service, lifecycle, poller, composites };
}

/** Starts the background poller with the orchestrator and stops it (before the database closes) on close. */
export function registerCompositePoller(ctx: OrchestratorContext, poller: CompositePoller): void {
  if (!ctx.config.jobs.enabled) return;
  poller.start();
  ctx.onClose.push(() => poller.stop());
}

export function registerCompositeRoutes(router: Router, ctx: OrchestratorContext): CompositeParts {
  const parts = createCompositeParts(ctx);
  const { service } = parts;

  router.post('/api/businesses/me/video/composite', sessionAccess(ctx.access, 'create'), async (ctx2) => {
    const answer = await service.createSingle(ctx2.state.access as Access, parseWith(compositeBodySchema, ctx2.request.body));
    ctx2.status = answer.httpStatus;
    ctx2.body = answer.body;
  });

  router.post('/api/businesses/me/video/composite-clips', sessionAccess(ctx.access, 'create'), async (ctx2) => {
    const answer = await service.createClips(ctx2.state.access as Access, parseWith(clipsBodySchema, ctx2.request.body));
    ctx2.status = answer.httpStatus;
    ctx2.body = answer.body;
  });

  router.get('/api/businesses/me/video/composite', sessionAccess(ctx.access, 'read'), async (ctx2) => {
    const query = parseWith(pollQuerySchema, { ...ctx2.query });
    const answer = await service.poll(ctx2.state.access as Access, query.jobToken);
    ctx2.set('Cache-Control', 'no-store');
    ctx2.status = answer.httpStatus;
    ctx2.body = answer.body;
  });

  registerMusicRoute(router, { urls: sourceUrls(ctx) });
  registerCompositePoller(ctx, parts.poller);
  return parts;
}

addRoutes((router, ctx) => {
  registerCompositeRoutes(router, ctx);
});
