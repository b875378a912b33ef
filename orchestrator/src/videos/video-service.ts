import { createHash } from 'node:crypto';
import { AppError } from '../../../shared/src/errors.js';
import { requireCreatingPlan, type Access } from '../auth/access.js';
import { CreditLedger, GENERATION_COST } from '../credits/credit-ledger.js';
import type { Db } from '../db/connect.js';
import { newId } from '../db/ids.js';
import { nowIso } from '../db/time.js';
import type { CreateVideoInput } from './video-schemas.js';
import type { VideoRecord, VideoRepository, VideoStatus } from './video-repository.js';
import { usageView, videoView } from './video-views.js';

/** Whether generation can run here; `reason` is the 503 to answer when it cannot. */
export interface GenerationAvailability {
  providerName: string | null;
  reason?: AppError;
}

/** Creating and listing generation jobs: the credit check, the record and the idempotency key commit together. */
export class VideoService {
  constructor(
    private readonly deps: {
      db: Db;
      videos: VideoRepository;
      credits: CreditLedger;
      availability: GenerationAvailability;
      onCreated?: () => void;
    },
  ) {}

  assertGenerationAvailable(): string {
    const { providerName, reason } = this.deps.availability;
    if (!providerName) {
      throw reason ?? new AppError('not_configured', 'Video generation is not configured here: set VIDEO_PROVIDER=local or VIDEO_PROVIDER=replicate.');
    }
    return providerName;
  }

  async create(input: {
    access: Access;
    body: CreateVideoInput;
    idempotencyKey?: string;
    sourceBundle?: (videoId: string) => Record<string, unknown>;
    /** Other request options a retry must repeat to count as the same request (part of the Idempotency-Key hash). */
    fingerprint?: unknown;
  }): Promise<{ video: VideoRecord; replayed: boolean; response: Record<string, unknown> }> {
    const { access, body, idempotencyKey } = input;
    requireCreatingPlan(access.plan);
    const providerName = this.assertGenerationAvailable();
    const businessId = access.business.id;
    const requestHash = idempotencyKey ? hashRequest(body, input.fingerprint) : '';

    if (idempotencyKey) {
      const replay = await this.replay(businessId, idempotencyKey, requestHash);
      if (replay) return replay;
    }

    const id = newId('vid');
    const cost = GENERATION_COST[body.duration];
    let video: VideoRecord | undefined;
    try {
      video = await this.deps.credits.hold(
        { businessId, kind: 'generation', refId: id, amount: cost, limit: access.plan.monthlyCredits },
        async (trx) => {
          const v = await this.deps.videos.insert(
            {
              id,
              businessId,
              userId: access.actor.userId,
              prompt: body.prompt,
              duration: body.duration,
              aspectRatio: body.aspectRatio,
              credits: cost,
              provider: providerName,
              sourceBundle: input.sourceBundle?.(id) ?? null,
            },
            trx,
          );
          if (idempotencyKey) {
            await trx('idempotency_keys').insert({
              business_id: businessId,
              idem_key: idempotencyKey,
              request_hash: requestHash,
              video_id: id,
              response_body: JSON.stringify(videoView(v)),
              created_at: nowIso(),
            });
          }
          return v;
        },
      );
    } catch (err) {
      // A concurrent retry with the same key committed first: answer with its result.
      if (idempotencyKey) {
        const replay = await this.replay(businessId, idempotencyKey, requestHash);
        if (replay) return replay;
      }
      throw err;
    }
    this.deps.onCreated?.();
    return { video: video!, replayed: false, response: videoView(video!) };
  }

  private async replay(businessId: string, key: string, requestHash: string) {
    const row = await this.deps.db('idempotency_keys').where({ business_id: businessId, idem_key: key }).first();
    if (!row) return null;
    if (row.request_hash !== requestHash) {
      throw new AppError('conflict', 'This Idempotency-Key was already used with a different request body; use a new key.');
    }
    const video = await this.deps.videos.get(String(row.video_id));
    if (!video) return null;
    return { video, replayed: true, response: JSON.parse(String(row.response_body)) as Record<string, unknown> };
  }

  async list(input: { access: Access; status: VideoStatus | 'all'; limit: number }) {
    const businessId = input.access.business.id;
    const [videos, used] = await Promise.all([
      this.deps.videos.list({ businessId, status: input.status === 'all' ? undefined : input.status, limit: input.limit }),
      this.deps.credits.used(businessId),
    ]);
    return { videos: videos.map(videoView), ...usageView({ used, monthlyCredits: input.access.plan.monthlyCredits }) };
  }
}

function hashRequest(body: CreateVideoInput, fingerprint: unknown): string {
  return createHash('sha256').update(JSON.stringify([body.prompt, body.duration, body.aspectRatio, fingerprint ?? null])).digest('hex');
}

export function validateIdempotencyKey(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw.length > 255 || !/^[\x21-\x7e]+$/.test(raw)) {
    throw new AppError('validation_failed', 'Idempotency-Key must be 1 to 255 visible ASCII characters.', { field: 'Idempotency-Key' });
  }
  return raw;
}
