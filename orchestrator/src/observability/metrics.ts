import type Koa from 'koa';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { Db } from '../db/connect.js';
import { periodOf } from '../db/time.js';
import type { DomainEvent } from '../events/event-bus.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const CREDIT_KINDS = ['generation', 'captions', 'composite'] as const;

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  generations: Counter<'outcome'>;
  composites: Counter<'outcome'>;
  providerErrors: Counter<'provider' | 'stage'>;
}

/**
 * One prom-client Registry per orchestrator (never the global default), so
 * several orchestrators in one process — tests, the benchmark — keep apart.
 * Credit gauges are read from credit_ledger at scrape time, so every replica
 * reports the same shared truth rather than what it saw itself.
 */
export function createMetrics(input: { db: Db; defaultMetrics?: boolean }): Metrics {
  const registry = new Registry();
  if (input.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'neariq_' });
  const registers = [registry];

  const creditsGauge = (state: 'held' | 'charged', help: string) =>
    new Gauge({
      name: `neariq_credits_${state}`,
      help,
      labelNames: ['kind'],
      registers,
      async collect() {
        const rows: Array<{ kind: string; total: unknown }> = await input.db('credit_ledger').where({ period: periodOf(), state }).select('kind').sum({ total: 'amount' }).groupBy('kind');
        this.reset();
        for (const kind of CREDIT_KINDS) this.set({ kind }, 0);
        for (const row of rows) this.set({ kind: String(row.kind) }, Number(row.total ?? 0));
      },
    });
  creditsGauge('held', 'Credits held this calendar month (UTC) by work still running, by kind.');
  creditsGauge('charged', 'Credits charged this calendar month (UTC), by kind.');

  return {
    registry,
    httpRequests: new Counter({ name: 'neariq_http_requests_total', help: 'HTTP requests by method, matched route pattern and status.', labelNames: ['method', 'route', 'status'], registers }),
    httpDuration: new Histogram({
      name: 'neariq_http_request_duration_seconds',
      help: 'HTTP request latency by method, matched route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    generations: new Counter({ name: 'neariq_generations_total', help: 'Finished video generations by outcome.', labelNames: ['outcome'], registers }),
    composites: new Counter({ name: 'neariq_composites_total', help: 'Finished composites by outcome.', labelNames: ['outcome'], registers }),
    providerErrors: new Counter({ name: 'neariq_provider_errors_total', help: 'Errors raised by a generation provider step (submit, poll, download), by provider.', labelNames: ['provider', 'stage'], registers }),
  };
}

/**
 * Counts every request under the route *pattern* @koa/router matched
 * (`/api/v1/video`, `/internal/sources/:id`), never the raw path, so ids
 * cannot blow up the label set; anything unrouted is `unmatched`. Runs
 * outside the error middleware, so it sees the final status.
 */
export function metricsMiddleware(metrics: Metrics): Koa.Middleware {
  return async (ctx, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = (ctx as unknown as { _matchedRoute?: string | RegExp })._matchedRoute;
      const labels = {
        method: METHODS.has(ctx.method) ? ctx.method : 'OTHER',
        route: typeof route === 'string' ? route : 'unmatched',
        status: String(ctx.status),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}

/** Generation and composite outcomes from the domain event bus. */
export function countOutcome(metrics: Metrics, event: DomainEvent): void {
  const [subject, outcome] = event.type.split('.') as ['video' | 'composite', string];
  (subject === 'video' ? metrics.generations : metrics.composites).inc({ outcome });
}

const byOwner = new WeakMap<object, Metrics>();

/** Makes `recordProviderError(owner, …)` find these metrics from any of the given objects (the context, its runner). */
export function attachMetrics(metrics: Metrics, owners: object[]): void {
  for (const owner of owners) byOwner.set(owner, metrics);
}

export function metricsOf(owner: object): Metrics | undefined {
  return byOwner.get(owner);
}

/**
 * For the generation runner: counts one provider error. `owner` is the
 * runner (or the context); a runner without metrics attached is a no-op.
 */
export function recordProviderError(owner: object, labels: { provider: string; stage?: string }): void {
  byOwner.get(owner)?.providerErrors.inc({ provider: labels.provider, stage: labels.stage ?? 'step' });
}
