import type Koa from 'koa';
import { Counter, Histogram, type Registry } from 'prom-client';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface HttpMetrics {
  requests: Counter<'method' | 'route' | 'status'>;
  duration: Histogram<'method' | 'route' | 'status'>;
  middleware: Koa.Middleware;
}

/**
 * Request count and latency of one service, labelled by the route *pattern*
 * @koa/router matched (`/compose/:jobId`), never the raw path, so ids cannot
 * blow up the label set; anything unrouted is `unmatched`. Mount it outside
 * the error middleware so it sees the final status.
 */
export function createHttpMetrics(registry: Registry, prefix: string): HttpMetrics {
  const registers = [registry];
  const requests = new Counter({ name: `${prefix}http_requests_total`, help: 'HTTP requests by method, matched route pattern and status.', labelNames: ['method', 'route', 'status'], registers });
  const duration = new Histogram({
    name: `${prefix}http_request_duration_seconds`,
    help: 'HTTP request latency by method, matched route pattern and status.',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  const middleware: Koa.Middleware = async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
      const labels = { method: METHODS.has(ctx.method) ? ctx.method : 'OTHER', route: typeof route === 'string' ? route : 'unmatched', status: String(ctx.status) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
  return { requests, duration, middleware };
}
