import type { Knex } from 'knex';
import type { Logger } from '../../../shared/src/logger.js';

export type DomainEventType = 'video.completed' | 'video.failed' | 'composite.completed' | 'composite.failed';

export interface DomainEvent {
  type: DomainEventType;
  businessId: string;
  /** The public view of the thing the event is about. */
  data: Record<string, unknown>;
}

export type EventListener = (event: DomainEvent) => void | Promise<void>;
export type DurableHandler = (trx: Knex.Transaction, event: DomainEvent) => Promise<void>;

/**
 * Domain events in two steps. `record(trx, event)` runs durable handlers
 * (the webhook outbox) inside the transaction that decides the outcome, so an
 * event is written if and only if the outcome commits — nothing is lost to a
 * crash in between. `emit(event)` then fans out in-process after the commit
 * (metrics, nudging the deliverer); a listener's failure is logged and never
 * reaches the code that emitted the event.
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];
  private readonly durable: DurableHandler[] = [];
  constructor(private readonly logger: Logger) {}

  onRecord(handler: DurableHandler): void {
    this.durable.push(handler);
  }

  async record(trx: Knex.Transaction, event: DomainEvent): Promise<void> {
    for (const handler of this.durable) await handler(trx, event);
  }

  on(listener: EventListener): void {
    this.listeners.push(listener);
  }

  emit(event: DomainEvent): void {
    for (const listener of this.listeners) {
      Promise.resolve()
        .then(() => listener(event))
        .catch((err) => this.logger.error({ err, event: event.type }, 'event listener failed'));
    }
  }
}
