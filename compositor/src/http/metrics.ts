import { Router } from '@koa/router';
import type Koa from 'koa';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { createHttpMetrics } from '../../../shared/src/http-metrics.js';

export interface CompositorMetrics {
  registry: Registry;
  middleware: Koa.Middleware;
  /** Called once per finished job: outcome and render wall time. */
  renderFinished(outcome: string, seconds: number | undefined): void;
}

/**
 * The worker's Prometheus metrics: requests by route, renders by outcome,
 * render seconds, queue depth and renders running (read at scrape time).
 */
export function createCompositorMetrics(stats: () => { queued: number; running: number }): CompositorMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'neariq_compositor_' });
  const registers = [registry];
  const http = createHttpMetrics(registry, 'neariq_compositor_');
  const renders = new Counter({ name: 'neariq_compositor_renders_total', help: 'Finished compose jobs by outcome.', labelNames: ['outcome'], registers });
  const renderSeconds = new Histogram({
    name: 'neariq_compositor_render_seconds',
    help: 'Wall time of a compose job from start of work to its outcome.',
    labelNames: ['outcome'],
    buckets: [1, 2, 5, 10, 20, 30, 60, 120, 300, 600],
    registers,
  });
  new Gauge({
    name: 'neariq_compositor_queue_depth',
    help: 'Compose jobs waiting for a render slot.',
    registers,
    collect() {
      this.set(stats().queued);
    },
  });
  new Gauge({
    name: 'neariq_compositor_renders_running',
    help: 'Compose jobs rendering now.',
    registers,
    collect() {
      this.set(stats().running);
    },
  });
  return {
    registry,
    middleware: http.middleware,
    renderFinished(outcome, seconds) {
      renders.inc({ outcome });
      if (seconds !== undefined) renderSeconds.observe({ outcome }, seconds);
    },
  };
}

export function metricsRoutes(metrics: CompositorMetrics): Router {
  const router = new Router();
  router.get('/metrics', async (ctx) => {
    ctx.set('Content-Type', metrics.registry.contentType);
    ctx.body = await metrics.registry.metrics();
  });
  return router;
}
