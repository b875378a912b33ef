import type { Logger } from '../../../shared/src/logger.js';
import { PollingLoop } from '../jobs/polling-loop.js';
import { nextRetryDelay } from './retry-schedule.js';
import type { DeliveryRecord, WebhookRepository } from './webhook-repository.js';
import { sendWebhook, type WebhookSend } from './webhook-sender.js';

export interface DelivererOptions {
  pollIntervalMs: number;
  timeoutMs: number;
  maxAttempts: number;
  retryBaseMs: number;
  retryMaxMs: number;
  allowPrivate: boolean;
  batchSize?: number;
}

export type AttemptOutcome = 'delivered' | 'retrying' | 'failed' | 'canceled';

/**
 * Sends the outbox: claims due deliveries under a lease (so two replicas
 * never send the same attempt), POSTs each signed body, and records the
 * outcome — delivered on 2xx, else retried with exponential backoff until
 * the attempts run out. Delivery is at least once: a crash after sending but
 * before recording repeats the attempt with the same event id.
 */
export class WebhookDeliverer extends PollingLoop {
  constructor(
    private readonly deps: {
      repo: WebhookRepository;
      logger: Logger;
      send?: WebhookSend;
      onAttempt?: (outcome: AttemptOutcome, delivery: DeliveryRecord) => void;
    },
    private readonly options: DelivererOptions,
  ) {
    super({ name: 'webhooks', intervalMs: options.pollIntervalMs, logger: deps.logger });
  }

  /** One pass over due deliveries; exposed for tests. */
  override async tick(): Promise<void> {
    // The lease outlives one attempt's timeout, so it cannot lapse while the POST is in flight.
    const leaseMs = this.options.timeoutMs * 2 + 5000;
    const due = await this.deps.repo.claimDue({ owner: this.owner, leaseMs, limit: this.options.batchSize ?? 16 });
    await Promise.all(due.map((d) => this.attempt(d)));
  }

  private async attempt(delivery: DeliveryRecord): Promise<void> {
    const { repo, logger } = this.deps;
    const hook = await repo.get(delivery.businessId);
    if (!hook) {
      await repo.cancel(delivery.id, this.owner, 'The webhook was removed.');
      this.deps.onAttempt?.('canceled', delivery);
      return;
    }
    const send = this.deps.send ?? sendWebhook;
    const result = await send(
      { url: hook.url, secret: hook.secret, eventId: delivery.id, eventType: delivery.eventType, body: delivery.payload },
      { timeoutMs: this.options.timeoutMs, allowPrivate: this.options.allowPrivate, signal: this.abort.signal },
    );
    if (result.ok) {
      await repo.recordAttempt({ id: delivery.id, owner: this.owner, outcome: { delivered: true, statusCode: result.statusCode } });
      this.deps.onAttempt?.('delivered', delivery);
      logger.debug({ eventId: delivery.id, statusCode: result.statusCode }, 'webhook delivered');
      return;
    }
    if (this.abort.signal.aborted) {
      // Shutting down mid-attempt is not the receiver's fault: it does not count, and the next run retries it.
      await repo.releaseLease(delivery.id, this.owner);
      return;
    }
    const delay = nextRetryDelay({ failedAttempts: delivery.attempts + 1, maxAttempts: this.options.maxAttempts, baseMs: this.options.retryBaseMs, maxMs: this.options.retryMaxMs });
    const nextAttemptAt = delay === null ? null : Date.now() + delay;
    await repo.recordAttempt({ id: delivery.id, owner: this.owner, outcome: { delivered: false, statusCode: result.statusCode, error: result.error, nextAttemptAt } });
    this.deps.onAttempt?.(delay === null ? 'failed' : 'retrying', delivery);
    logger.warn({ eventId: delivery.id, attempt: delivery.attempts + 1, statusCode: result.statusCode, error: result.error, retryInMs: delay }, 'webhook attempt failed');
    if (delay !== null && delay < this.options.pollIntervalMs) setTimeout(() => this.nudge(), delay).unref();
  }
}
