import type { DomainEvent } from '../events/event-bus.js';
import { newId } from '../db/ids.js';

export interface WebhookEnvelope {
  id: string;
  type: DomainEvent['type'];
  createdAt: string;
  businessId: string;
  data: Record<string, unknown>;
}

/** The body every receiver gets; its `id` (`evt_…`) stays the same across retries. */
export function envelopeFor(event: DomainEvent, now: Date = new Date()): WebhookEnvelope {
  return { id: newId('evt'), type: event.type, createdAt: now.toISOString(), businessId: event.businessId, data: event.data };
}
