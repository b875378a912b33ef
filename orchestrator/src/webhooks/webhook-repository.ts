import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { newId } from '../db/ids.js';
import { claimLeased } from '../db/lease.js';
import { nowIso } from '../db/time.js';

export interface WebhookRecord {
  id: string;
  businessId: string;
  url: string;
  secret: string;
  createdAt: string;
  updatedAt: string;
}

export type DeliveryStatus = 'pending' | 'delivered' | 'failed' | 'canceled';

export interface DeliveryRecord {
  id: string;
  businessId: string;
  eventType: string;
  payload: string;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

/** Signing secrets: `whsec_` + 32 random bytes as hex, used as the UTF-8 bytes of the string. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('hex')}`;
}

function toWebhook(row: Record<string, unknown>): WebhookRecord {
  return {
    id: String(row.id),
    businessId: String(row.business_id),
    url: String(row.url),
    secret: String(row.secret),
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
  };
}

function toDelivery(row: Record<string, unknown>): DeliveryRecord {
  return {
    id: String(row.id),
    businessId: String(row.business_id),
    eventType: String(row.event_type),
    payload: String(row.payload),
    status: row.status as DeliveryStatus,
    attempts: Number(row.attempts),
    nextAttemptAt: Number(row.next_attempt_at),
    lastStatusCode: row.last_status_code === null || row.last_status_code === undefined ? null : Number(row.last_status_code),
    lastError: (row.last_error as string | null) ?? null,
    createdAt: String(row.created_at),
    deliveredAt: (row.delivered_at as string | null) ?? null,
  };
}

/** Webhook endpoints and the delivery outbox, on SQLite and PostgreSQL alike. */
export class WebhookRepository {
  constructor(private readonly db: Db) {}

  async get(businessId: string): Promise<WebhookRecord | null> {
    const row = await this.db('webhooks').where({ business_id: businessId }).first();
    return row ? toWebhook(row) : null;
  }

  /** Creates or replaces the business's endpoint; a new secret on creation or when asked to rotate. */
  async upsert(input: { businessId: string; url: string; rotateSecret: boolean }): Promise<{ webhook: WebhookRecord; created: boolean }> {
    return this.db.transaction(async (trx) => {
      const ts = nowIso();
      const existing = await trx('webhooks').where({ business_id: input.businessId }).first();
      if (existing) {
        const patch: Record<string, string> = { url: input.url, updated_at: ts };
        if (input.rotateSecret) patch.secret = newWebhookSecret();
        await trx('webhooks').where({ id: existing.id }).update(patch);
        return { webhook: toWebhook({ ...existing, ...patch }), created: false };
      }
      const row = { id: newId('whk'), business_id: input.businessId, url: input.url, secret: newWebhookSecret(), created_at: ts, updated_at: ts };
      // A parallel PUT may have inserted first: then this one becomes an update.
      await trx('webhooks').insert(row).onConflict('business_id').ignore();
      const stored = await trx('webhooks').where({ business_id: input.businessId }).first();
      const won = stored.id === row.id;
      if (!won) await trx('webhooks').where({ id: stored.id }).update({ url: input.url, updated_at: ts });
      return { webhook: toWebhook({ ...stored, url: input.url }), created: won };
    });
  }

  /** Removes the endpoint; its undelivered events are canceled. */
  async remove(businessId: string): Promise<boolean> {
    return this.db.transaction(async (trx) => {
      const n = await trx('webhooks').where({ business_id: businessId }).delete();
      if (n > 0) {
        await trx('webhook_deliveries').where({ business_id: businessId, status: 'pending' }).update({ status: 'canceled', updated_at: nowIso(), lease_owner: null, lease_until: null });
      }
      return n > 0;
    });
  }

  /** Writes one event to the outbox, only when the business has an endpoint. */
  /** Writes an event to the outbox when the business has a webhook; pass the transaction that decides the event. */
  async enqueue(input: { id: string; businessId: string; eventType: string; payload: string; now?: number }, trx?: Knex.Transaction): Promise<boolean> {
    const db = trx ?? this.db;
    const hook = await db('webhooks').where({ business_id: input.businessId }).first('id');
    if (!hook) return false;
    const now = input.now ?? Date.now();
    const ts = nowIso(new Date(now));
    await db('webhook_deliveries').insert({
      id: input.id,
      business_id: input.businessId,
      event_type: input.eventType,
      payload: input.payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: ts,
      updated_at: ts,
    });
    return true;
  }

  /**
   * Claims due deliveries with a conditional UPDATE per row (the same lease
   * pattern as generation jobs): only the replica whose UPDATE matched owns
   * the attempt, on SQLite and PostgreSQL alike.
   */
  async claimDue(input: { owner: string; leaseMs: number; limit: number; now?: number }): Promise<DeliveryRecord[]> {
    const now = input.now ?? Date.now();
    const ids = await claimLeased({ db: this.db, table: 'webhook_deliveries', due: (q) => q.where({ status: 'pending' }).andWhere('next_attempt_at', '<=', now), ...input, now });
    const rows = ids.length ? await this.db('webhook_deliveries').whereIn('id', ids).orderBy('seq') : [];
    return rows.map(toDelivery);
  }

  /** Records an attempt's outcome; a no-op when the lease was lost meanwhile. */
  async recordAttempt(input: {
    id: string;
    owner: string;
    outcome: { delivered: true; statusCode: number } | { delivered: false; statusCode: number | null; error: string; nextAttemptAt: number | null };
  }): Promise<boolean> {
    const ts = nowIso();
    const base = { attempts: this.db.raw('attempts + 1'), lease_owner: null, lease_until: null, updated_at: ts, last_status_code: input.outcome.statusCode };
    const patch = input.outcome.delivered
      ? { ...base, status: 'delivered', delivered_at: ts, last_error: null }
      : input.outcome.nextAttemptAt === null
        ? { ...base, status: 'failed', last_error: input.outcome.error.slice(0, 500) }
        : { ...base, next_attempt_at: input.outcome.nextAttemptAt, last_error: input.outcome.error.slice(0, 500) };
    const n = await this.db('webhook_deliveries').where({ id: input.id, lease_owner: input.owner, status: 'pending' }).update(patch);
    return n === 1;
  }

  async cancel(id: string, owner: string, reason: string): Promise<void> {
    await this.db('webhook_deliveries')
      .where({ id, lease_owner: owner, status: 'pending' })
      .update({ status: 'canceled', last_error: reason, lease_owner: null, lease_until: null, updated_at: nowIso() });
  }

  /** Gives an attempt back untouched (shutdown mid-send): it runs again soon, counted once. */
  async releaseLease(id: string, owner: string): Promise<void> {
    await this.db('webhook_deliveries').where({ id, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
  }

  async delivery(id: string): Promise<DeliveryRecord | null> {
    const row = await this.db('webhook_deliveries').where({ id }).first();
    return row ? toDelivery(row) : null;
  }

  async deliveries(businessId: string, limit = 50): Promise<DeliveryRecord[]> {
    const rows = await this.db('webhook_deliveries').where({ business_id: businessId }).orderBy('seq', 'desc').limit(limit);
    return rows.map(toDelivery);
  }
}
