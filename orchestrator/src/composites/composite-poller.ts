import type { Logger } from '../../../shared/src/logger.js';
import { PollingLoop } from '../jobs/polling-loop.js';
import type { CompositeLifecycle } from './composite-lifecycle.js';
import type { CompositeRepository } from './composite-repository.js';

export interface PollerOptions {
  intervalMs: number;
  leaseMs: number;
  batchSize?: number;
}

/**
 * Advances processing composites that nobody polls, so a hold never lingers
 * and a restart never leaves one processing forever. Rows are lease-claimed,
 * so two replicas never advance the same composite at the same time (and the
 * lifecycle's conditional finish makes a double finish harmless anyway).
 */
export class CompositePoller extends PollingLoop {
  constructor(
    private readonly deps: { composites: CompositeRepository; lifecycle: CompositeLifecycle; logger: Logger },
    private readonly options: PollerOptions,
  ) {
    super({ name: 'cpoll', intervalMs: options.intervalMs, logger: deps.logger, firstDelayMs: options.intervalMs });
  }

  /** One pass over due composites; exposed for tests. */
  override async tick(): Promise<void> {
    const due = await this.deps.composites.claimDue({ owner: this.owner, leaseMs: this.options.leaseMs, limit: this.options.batchSize ?? 16 });
    await Promise.all(
      due.map(async (record) => {
        try {
          const { record: after } = await this.deps.lifecycle.advance(record);
          if (after.status === 'processing') await this.deps.composites.releaseLease(record.id, this.owner);
        } catch (err) {
          this.deps.logger.warn({ err, compositeId: record.id }, 'advancing a composite failed');
          await this.deps.composites.releaseLease(record.id, this.owner).catch(() => undefined);
        }
      }),
    );
  }
}
