import type { Logger } from '../../../shared/src/logger.js';
import type { CreditLedger } from '../credits/credit-ledger.js';
import type { Db } from '../db/connect.js';
import type { DomainEvent, EventBus } from '../events/event-bus.js';
import type { CompositeRecord, CompositeRepository, FinishOutcome } from './composite-repository.js';
import type { CompositorClient } from './compositor-client.js';
import { compositeView } from './composite-views.js';

export interface LifecycleOptions {
  /** A composite older than this is canceled at the compositor and fails as timed out. */
  timeoutMs: number;
  /** How long a worker may stay unreachable (and for at least 3 polls in a row) before its job is given up. */
  unreachableGraceMs: number;
  /** A row never handed to a compositor (the process died in between) fails after this. */
  submitGraceMs?: number;
}

export interface Advanced {
  record: CompositeRecord;
  progress?: number;
}

const UNREACHABLE_POLLS = 3;

/**
 * Moves a composite forward from what its compositor says, and owns the
 * outcome's credits: completed charges the hold, failed releases it, both in
 * the same transaction as the conditional processing → done update, so any
 * number of pollers and replicas finish a composite (and bill it) once.
 */
export class CompositeLifecycle {
  constructor(
    private readonly deps: { db: Db; composites: CompositeRepository; credits: CreditLedger; client: CompositorClient; events: EventBus; logger: Logger },
    private readonly options: LifecycleOptions,
  ) {}

  async advance(input: CompositeRecord, now = Date.now()): Promise<Advanced> {
    if (input.status !== 'processing') return { record: input };
    const age = now - Date.parse(input.createdAt);
    const { workerUrl, compositorJobId: jobId } = input;
    if (age > this.options.timeoutMs) {
      if (workerUrl && jobId) await this.deps.client.cancel(workerUrl, jobId);
      const secs = Math.round(this.options.timeoutMs / 1000);
      return this.end(input, { status: 'failed', code: 'timed_out', message: `The composite timed out: it did not finish within ${secs} s. Nothing was charged; request it again.` });
    }
    if (!workerUrl || !jobId) {
      if (age <= (this.options.submitGraceMs ?? 60_000)) return { record: input, progress: 0 };
      return this.end(input, { status: 'failed', code: 'interrupted', message: 'The composite was never handed to a compositor (the server restarted). Nothing was charged; request it again.' });
    }

    const status = await this.deps.client.status(workerUrl, jobId);
    if (status.kind === 'unreachable') {
      await this.deps.composites.markUnreachable(input.id, now);
      const record = (await this.deps.composites.get(input.id)) ?? input;
      const since = record.unreachableSince ?? now;
      if (record.unreachableCount >= UNREACHABLE_POLLS && now - since >= this.options.unreachableGraceMs) {
        this.deps.logger.warn({ compositeId: input.id, reason: status.message }, 'compositor unreachable; giving the composite up');
        return this.end(record, {
          status: 'failed',
          code: 'compositor_unavailable',
          message: 'The compositor stopped answering while rendering this composite. Nothing was charged; request it again.',
        });
      }
      return { record };
    }
    if (status.kind === 'unknown_job') {
      return this.end(input, { status: 'failed', code: 'compositor_lost_job', message: 'The compositor no longer knows this render (it was restarted or cleaned up). Nothing was charged; request it again.' });
    }
    if (input.unreachableCount > 0) await this.deps.composites.markReachable(input.id);

    const view = status.view;
    if (view.status === 'completed') {
      const out = view.output;
      if (!out || typeof out.url !== 'string') {
        return this.end(input, { status: 'failed', code: 'compositor_error', message: 'The compositor reported success without an output file. Nothing was charged; request it again.' });
      }
      if (!(Math.abs(out.durationSec - input.duration) <= input.toleranceSec + 1e-6)) {
        return this.end(input, {
          status: 'failed',
          code: 'duration_mismatch',
          message: `The output lasts ${out.durationSec} s instead of ${input.duration} s (tolerance ${input.toleranceSec} s), so it was not accepted and nothing was charged; request it again.`,
        });
      }
      return this.end(input, { status: 'completed', output: { url: out.url, durationSec: out.durationSec, width: out.width, height: out.height, sizeBytes: out.sizeBytes } });
    }
    if (view.status === 'failed' || view.status === 'canceled') {
      const why = view.error?.message ?? (view.status === 'canceled' ? 'The render was canceled.' : 'The render failed.');
      return this.end(input, { status: 'failed', code: view.error?.code ?? `render_${view.status}`, message: `${why} Nothing was charged.` });
    }
    return { record: input, progress: typeof view.progress === 'number' ? view.progress : undefined };
  }

  /** Finishes with an outcome decided elsewhere (e.g. the compositor refused the submit). */
  async end(record: CompositeRecord, outcome: FinishOutcome): Promise<Advanced> {
    const { composites, credits, events } = this.deps;
    const event = await this.deps.db.transaction(async (trx) => {
      if (!(await composites.finish(record.id, outcome, trx))) return null;
      if (outcome.status === 'completed') await credits.charge('composite', record.id, trx);
      else await credits.release('composite', record.id, trx);
      const done = (await composites.get(record.id, trx))!;
      const finished: DomainEvent = { type: done.status === 'completed' ? 'composite.completed' : 'composite.failed', businessId: done.businessId, data: compositeView(done) };
      await events.record(trx, finished); // the webhook outbox commits with the outcome
      return finished;
    });
    const fresh = (await composites.get(record.id)) ?? record;
    if (event) {
      this.deps.logger.info({ compositeId: record.id, status: fresh.status, error: fresh.error }, 'composite finished');
      events.emit(event);
    }
    return { record: fresh };
  }
}
