import type { Logger } from '../../../shared/src/logger.js';

export type DomainEventType = 'video.completed' | 'video.failed' | 'composite.completed' | 'composite.failed';

export interface DomainEvent {
  type: DomainEventType;
  businessId: string;
  /** The public view of the thing the event is about. */
  data: Record<string, unknown>;
}

export type EventListener = (event: DomainEvent) => void | Promise<void>;

/**
 * In-process fan-out of domain events (webhooks, metrics). A listener's
 * failure is logged and never reaches the code that emitted the event.
 */
export class EventBus {
  private readonly listeners: EventListener[] = [];
  constructor(private readonly logger: Logger) {}

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
