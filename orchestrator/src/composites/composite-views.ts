import type { CompositeRecord } from './composite-repository.js';

export const STATUS_ENDPOINT = '/api/businesses/me/video/composite';

/** The public view of a composite (event payloads). */
export function compositeView(r: CompositeRecord): Record<string, unknown> {
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    videoIds: r.videoIds,
    duration: r.duration,
    aspectRatio: r.aspectRatio,
    ...(r.output ? { composite: publicOutput(r) } : {}),
    ...(r.error ? { error: r.error } : {}),
    dropped: r.details.dropped,
    createdAt: r.createdAt,
    completedAt: r.completedAt,
  };
}

function publicOutput(r: CompositeRecord) {
  const o = r.output!;
  return { url: o.url, durationSec: o.durationSec, width: o.width, height: o.height };
}

/**
 * The answer of POST composite / composite-clips and GET composite. The job
 * token is only known right after creation (only its hash is stored), so GET
 * answers without it — the client already has it.
 */
export function compositeResponse(input: { record: CompositeRecord; progress?: number; jobToken?: string }): Record<string, unknown> {
  const r = input.record;
  const common = { compositeId: r.id, dropped: r.details.dropped, notes: r.details.notes };
  if (r.status === 'completed') {
    return { status: 'completed', ...common, composite: publicOutput(r), charged: true, ...(input.jobToken ? { jobToken: input.jobToken } : {}) };
  }
  if (r.status === 'failed') {
    return { status: 'failed', ...common, error: r.error ?? { code: 'failed', message: 'The composite failed.' }, charged: false };
  }
  return {
    status: 'processing',
    ...common,
    ...(input.jobToken ? { jobToken: input.jobToken } : {}),
    statusEndpoint: STATUS_ENDPOINT,
    progress: input.progress ?? 0,
    charged: false,
  };
}
