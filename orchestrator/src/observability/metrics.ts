import type Koa from 'koa';
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import { createHttpMetrics, type HttpMetrics } from '../../../shared/src/http-metrics.js';
import type { Db } from '../db/connect.js';
import { periodOf } from '../db/time.js';
import type { DomainEvent } from '../events/event-bus.js';

const CREDIT_KINDS = ['generation', 'captions', 'composite'] as const;

export interface Metrics {
  registry: Registry;
  http: HttpMetrics;
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
    http: createHttpMetrics(registry, 'neariq_'),
    generations: new Counter({ name: 'neariq_generations_total', help: 'Finished video generations by outcome.', labelNames: ['outcome'], registers }),
    composites: new Counter({ name: 'neariq_composites_total', help: 'Finished composites by outcome.', labelNames: ['outcome'], registers }),
    providerErrors: new Counter({ name: 'neariq_provider_errors_total', help: 'Errors raised by a generation provider step (submit, poll, download), by provider.', labelNames: ['provider', 'stage'], registers }),
  };
}

/** Request count and latency by matched route pattern (see shared/src/http-metrics.ts). */
export function metricsMiddleware(metrics: Metrics): Koa.Middleware {
  return metrics.http.middleware;
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
