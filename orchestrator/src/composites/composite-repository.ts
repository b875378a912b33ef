import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { nowIso, parseJson } from '../db/time.js';
import { claimLeased, releaseLease } from '../db/lease.js';
import type { AspectRatio, Duration } from '../videos/video-repository.js';

export type CompositeStatus = 'processing' | 'completed' | 'failed';
export type CompositeKind = 'single' | 'clips';

export interface CompositeOutputRecord {
  url: string;
  durationSec: number;
  width: number;
  height: number;
  sizeBytes?: number;
}

export interface CompositeDetails {
  dropped: string[];
  notes: string[];
}

export interface CompositeRecord {
  id: string;
  businessId: string;
  userId: string | null;
  kind: CompositeKind;
  videoIds: string[];
  status: CompositeStatus;
  duration: Duration;
  aspectRatio: AspectRatio;
  toleranceSec: number;
  details: CompositeDetails;
  workerUrl: string | null;
  compositorJobId: string | null;
  output: CompositeOutputRecord | null;
  error: { code: string; message: string } | null;
  unreachableSince: number | null;
  unreachableCount: number;
  createdAt: string;
  completedAt: string | null;
}

type Row = Record<string, unknown>;

function toRecord(r: Row): CompositeRecord {
  return {
    id: String(r.id),
    businessId: String(r.business_id),
    userId: (r.user_id as string | null) ?? null,
    kind: r.kind as CompositeKind,
    videoIds: parseJson<string[]>(r.video_ids, []),
    status: r.status as CompositeStatus,
    duration: Number(r.duration) as Duration,
    aspectRatio: r.aspect_ratio as AspectRatio,
    toleranceSec: Number(r.tolerance_sec),
    details: parseJson<CompositeDetails>(r.details, { dropped: [], notes: [] }),
    workerUrl: (r.worker_url as string | null) ?? null,
    compositorJobId: (r.compositor_job_id as string | null) ?? null,
    output: parseJson<CompositeOutputRecord | null>(r.output, null),
    error: r.error_code ? { code: String(r.error_code), message: String(r.error_message ?? '') } : null,
    unreachableSince: r.unreachable_since === null || r.unreachable_since === undefined ? null : Number(r.unreachable_since),
    unreachableCount: Number(r.unreachable_count ?? 0),
    createdAt: String(r.created_at),
    completedAt: (r.completed_at as string | null) ?? null,
  };
}

/** Job tokens are never stored, only their hash: a database leak does not leak pollable tokens. */
export function hashJobToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export interface NewComposite {
  id: string;
  businessId: string;
  userId: string | null;
  kind: CompositeKind;
  videoIds: string[];
  jobToken: string;
  duration: Duration;
  aspectRatio: AspectRatio;
  toleranceSec: number;
  details: CompositeDetails;
}

export type FinishOutcome = { status: 'completed'; output: CompositeOutputRecord } | { status: 'failed'; code: string; message: string };

/** The `composites` table. */
export class CompositeRepository {
  constructor(private readonly db: Db) {}

  async insert(c: NewComposite, trx?: Knex.Transaction): Promise<void> {
    const ts = nowIso();
    await (trx ?? this.db)('composites').insert({
      id: c.id,
      business_id: c.businessId,
      user_id: c.userId,
      kind: c.kind,
      video_ids: JSON.stringify(c.videoIds),
      token_hash: hashJobToken(c.jobToken),
      status: 'processing',
      duration: c.duration,
      aspect_ratio: c.aspectRatio,
      tolerance_sec: c.toleranceSec,
      details: JSON.stringify(c.details),
      created_at: ts,
      updated_at: ts,
    });
  }

  async get(id: string, trx?: Knex.Transaction): Promise<CompositeRecord | null> {
    const row = await (trx ?? this.db)('composites').where({ id }).first();
    return row ? toRecord(row) : null;
  }

  /** The composite a job token names, only when it belongs to this business; anything else is null. */
  async getByToken(businessId: string, token: string): Promise<CompositeRecord | null> {
    const row = await this.db('composites').where({ token_hash: hashJobToken(token), business_id: businessId }).first();
    return row ? toRecord(row) : null;
  }

  async setSubmitted(id: string, input: { workerUrl: string; jobId: string }): Promise<void> {
    await this.db('composites').where({ id }).update({ worker_url: input.workerUrl, compositor_job_id: input.jobId, updated_at: nowIso() });
  }

  /** Counts one failed poll; keeps the time of the first one in a row. */
  async markUnreachable(id: string, now: number): Promise<void> {
    await this.db('composites').where({ id, status: 'processing' }).whereNull('unreachable_since').update({ unreachable_since: now });
    await this.db('composites').where({ id, status: 'processing' }).update({ unreachable_count: this.db.raw('unreachable_count + 1') });
  }

  async markReachable(id: string): Promise<void> {
    await this.db('composites').where({ id }).whereNotNull('unreachable_since').update({ unreachable_since: null, unreachable_count: 0 });
  }

  /** processing → completed|failed; true only for the call that made the move. */
  async finish(id: string, outcome: FinishOutcome, trx?: Knex.Transaction): Promise<boolean> {
    const ts = nowIso();
    const patch =
      outcome.status === 'completed'
        ? { status: 'completed', output: JSON.stringify(outcome.output) }
        : { status: 'failed', error_code: outcome.code, error_message: outcome.message };
    const n = await (trx ?? this.db)('composites')
      .where({ id, status: 'processing' })
      .update({ ...patch, completed_at: ts, updated_at: ts, lease_owner: null, lease_until: null });
    return n === 1;
  }

  /** Claims processing rows whose lease lapsed (see db/lease.ts). */
  async claimDue(input: { owner: string; leaseMs: number; limit: number; now?: number }): Promise<CompositeRecord[]> {
    const ids = await claimLeased({ db: this.db, table: 'composites', due: (q) => q.where({ status: 'processing' }), ...input });
    const records = await Promise.all(ids.map((id) => this.get(id)));
    return records.filter((r): r is CompositeRecord => r !== null);
  }

  releaseLease(id: string, owner: string): Promise<void> {
    return releaseLease(this.db, 'composites', id, owner);
  }
}
