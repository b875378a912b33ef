import { randomBytes } from 'node:crypto';
import type { Logger } from '../../../shared/src/logger.js';

/**
 * The background loop behind the generation runner, the composite poller and
 * the webhook deliverer: one tick at a time, the next one `intervalMs` after
 * the last ended, `nudge()` to run now, `stop()` that aborts and waits.
 * Timers never keep the process alive on their own. Subclasses implement tick().
 */
export abstract class PollingLoop {
  /** This process's identity as a lease owner. */
  readonly owner: string;
  readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;

  constructor(private readonly opts: { name: string; intervalMs: number; logger: Logger; firstDelayMs?: number }) {
    this.owner = `${opts.name}-${process.pid}-${randomBytes(4).toString('hex')}`;
  }

  /** One pass over due work; public so tests can drive it. */
  abstract tick(): Promise<void>;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(this.opts.firstDelayMs ?? 0);
  }

  nudge(): void {
    if (this.stopped || this.running) return;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    await this.running;
  }

  private schedule(delay: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      this.running = this.tick()
        .catch((err) => {
          // A database closed under a loop that was never stopped: end quietly.
          if (/destroy|closed|aborted/i.test(String((err as Error)?.message))) this.stopped = true;
          else this.opts.logger.error({ err, loop: this.opts.name }, 'background tick failed');
        })
        .finally(() => {
          this.running = null;
          if (!this.stopped) this.schedule(this.opts.intervalMs);
        });
    }, delay);
    this.timer.unref();
  }
}
