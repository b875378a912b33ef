import type { Knex } from 'knex';
import type { Db } from '../db/connect.js';
import { nowIso, parseJson } from '../db/time.js';
import { claimLeased, releaseLease } from '../db/lease.js';

export type VideoStatus = 'processing' | 'completed' | 'failed';
import type { AspectRatio, Duration } from '../providers/generation/types.js';
export type { AspectRatio, Duration };

export interface VideoRecord {
  seq: number;
  id: string;
  businessId: string;
  userId: string | null;
  prompt: string;
  duration: Duration;
  aspectRatio: AspectRatio;
  status: VideoStatus;
  credits: number;
  provider: string;
  providerJobId: string | null;
  outputPath: string | null;
  outputMeta: Record<string, unknown> | null;
  error: string | null;
  sourceBundle: Record<string, unknown> | null;
  captions: Record<string, unknown> | null;
  attempts: number;
  createdAt: string;
  updatedAt: string;
  completedAt: string | null;
}

type Row = Record<string, unknown>;

function toRecord(r: Row): VideoRecord {
  return {
    seq: Number(r.seq),
    id: String(r.id),
    businessId: String(r.business_id),
    userId: (r.user_id as string | null) ?? null,
    prompt: String(r.prompt),
    duration: Number(r.duration) as Duration,
    aspectRatio: r.aspect_ratio as AspectRatio,
    status: r.status as VideoStatus,
    credits: Number(r.credits),
    provider: String(r.provider),
    providerJobId: (r.provider_job_id as string | null) ?? null,
    outputPath: (r.output_path as string | null) ?? null,
    outputMeta: parseJson(r.output_meta, null),
    error: (r.error as string | null) ?? null,
    sourceBundle: parseJson(r.source_bundle, null),
    captions: parseJson(r.captions, null),
    attempts: Number(r.attempts ?? 0),
    createdAt: String(r.created_at),
    updatedAt: String(r.updated_at),
    completedAt: (r.completed_at as string | null) ?? null,
  };
}

export type NewVideo = Pick<VideoRecord, 'id' | 'businessId' | 'userId' | 'prompt' | 'duration' | 'aspectRatio' | 'credits' | 'provider'> & {
  sourceBundle?: Record<string, unknown> | null;
};

/** video_generations: the generation jobs and the bundles stored on them. */
export class VideoRepository {
  constructor(private readonly db: Db) {}

  async insert(video: NewVideo, trx?: Knex.Transaction): Promise<VideoRecord> {
    const ts = nowIso();
    await (trx ?? this.db)('video_generations').insert({
      id: video.id,
      business_id: video.businessId,
      user_id: video.userId,
      prompt: video.prompt,
      duration: video.duration,
      aspect_ratio: video.aspectRatio,
      status: 'processing',
      credits: video.credits,
      provider: video.provider,
      source_bundle: video.sourceBundle ? JSON.stringify(video.sourceBundle) : null,
      created_at: ts,
      updated_at: ts,
    });
    const row = await (trx ?? this.db)('video_generations').where({ id: video.id }).first();
    return toRecord(row);
  }

  async get(id: string, trx?: Knex.Transaction): Promise<VideoRecord | null> {
    const row = await (trx ?? this.db)('video_generations').where({ id }).first();
    return row ? toRecord(row) : null;
  }

  /** A video of this business, or null — another business's id looks exactly like a missing one. */
  async getForBusiness(businessId: string, id: string): Promise<VideoRecord | null> {
    if (typeof id !== 'string' || id.length > 64) return null;
    const row = await this.db('video_generations').where({ id, business_id: businessId }).first();
    return row ? toRecord(row) : null;
  }

  async list(input: { businessId: string; status?: VideoStatus; limit: number }): Promise<VideoRecord[]> {
    const q = this.db('video_generations').where({ business_id: input.businessId });
    if (input.status) q.andWhere({ status: input.status });
    const rows = await q.orderBy('seq', 'desc').limit(input.limit);
    return rows.map(toRecord);
  }

  /**
   * Claims up to `limit` processing jobs whose lease has lapsed. The claim is a
   * conditional UPDATE per row, so two replicas never work the same job at once.
   */
  async claimDue(input: { owner: string; leaseMs: number; limit: number; now?: number }): Promise<VideoRecord[]> {
    const ids = await claimLeased({ db: this.db, table: 'video_generations', due: (q) => q.where({ status: 'processing' }), ...input });
    const rows = ids.length ? await this.db('video_generations').whereIn('id', ids).orderBy('seq') : [];
    return rows.map(toRecord);
  }

  releaseLease(id: string, owner: string): Promise<void> {
    return releaseLease(this.db, 'video_generations', id, owner);
  }

  async setProviderJob(id: string, providerJobId: string): Promise<void> {
    await this.db('video_generations').where({ id }).update({ provider_job_id: providerJobId, updated_at: nowIso() });
  }

  async bumpAttempts(id: string): Promise<void> {
    await this.db('video_generations').where({ id }).update({ attempts: this.db.raw('attempts + 1') });
  }

  /** processing → completed|failed; true only for the call that made the move. */
  async finish(
    id: string,
    outcome: { status: 'completed'; outputPath: string; outputMeta: Record<string, unknown> } | { status: 'failed'; error: string },
    trx?: Knex.Transaction,
  ): Promise<boolean> {
    const ts = nowIso();
    const patch =
      outcome.status === 'completed'
        ? { status: 'completed', output_path: outcome.outputPath, output_meta: JSON.stringify(outcome.outputMeta), completed_at: ts }
        : { status: 'failed', error: outcome.error, completed_at: ts };
    const n = await (trx ?? this.db)('video_generations')
      .where({ id, status: 'processing' })
      .update({ ...patch, updated_at: ts, lease_owner: null, lease_until: null });
    return n === 1;
  }

  async setCaptions(id: string, captions: Record<string, unknown>, trx?: Knex.Transaction): Promise<void> {
    await (trx ?? this.db)('video_generations').where({ id }).update({ captions: JSON.stringify(captions), updated_at: nowIso() });
  }

  async setSourceBundle(id: string, bundle: Record<string, unknown>): Promise<void> {
    await this.db('video_generations').where({ id }).update({ source_bundle: JSON.stringify(bundle), updated_at: nowIso() });
  }
}
