import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../shared/src/logger.js';
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
export class CompositePoller {
  private readonly owner = `cpoll-${process.pid}-${randomBytes(4).toString('hex')}`;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(
    private readonly deps: { composites: CompositeRepository; lifecycle: CompositeLifecycle; logger: Logger },
    private readonly options: PollerOptions,
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.options.intervalMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  private schedule(delay: number): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .catch((err) => {
          // A context closed without running onClose destroys the database under us: stop quietly.
          if (/destroy|closed|aborted/i.test(String((err as Error)?.message))) this.stopped = true;
          else this.deps.logger.error({ err }, 'composite poller tick failed');
        })
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(this.options.intervalMs);
        });
    }, delay);
    // Never keeps the process alive on its own.
    this.timer.unref();
  }

  /** One pass over due composites; exposed for tests. */
  async tick(): Promise<void> {
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
