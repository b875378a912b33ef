import { z } from 'zod';
import { createVideoSchema } from '../videos/video-schemas.js';
import { captionsBodySchema } from '../captions/caption-schemas.js';
import { createBundleSchema } from '../dashboard/dashboard-schemas.js';
import { putWebhookSchema } from '../webhooks/webhook-schemas.js';
import { clipsBodySchema, compositeBodySchema } from '../composites/composite-schemas.js';
import { composeSpecSchema } from '../../../shared/src/compose-spec.js';
import { captionsResponse, compositeAnswer, composeAccepted, composeJob, dashboardVideoEnvelope, errorBody, health, readiness, videoList, videoView, webhookView } from './schemas.js';

export type Auth = 'apiKey' | 'session' | 'signature' | 'signedUrl' | 'none';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete' | 'head';
  /** Koa route pattern, e.g. /compose/:jobId */
  path: string;
  /** Which service serves it; `both` = the same route on each (health, metrics). */
  service: 'orchestrator' | 'compositor' | 'both';
  summary: string;
  tag: string;
  auth: Auth;
  body?: z.ZodType;
  query?: Record<string, { description: string; schema: Record<string, unknown> }>;
  /** status → response; `schema: 'binary'` for media, undefined for no body. */
  responses: Record<number, { description: string; schema?: z.ZodType | 'binary' }>;
}

const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [s, { description: ERROR_TEXT[s] ?? 'Error', schema: errorBody }]));

const ERROR_TEXT: Record<number, string> = {
  400: 'Invalid input; `error.field` names the field and the message says what to change.',
  401: 'Missing, invalid, expired or revoked credentials or signature.',
  403: 'Plan, API-key scope or team permission does not allow this.',
  404: 'Not found (another business’s id answers 404 too).',
  405: 'Method not allowed on this path.',
  409: 'Conflict with the current state (e.g. the video is not completed).',
  413: 'Body too large.',
  415: 'Body is not application/json.',
  416: 'Range not satisfiable.',
  429: 'The monthly video credits would be exceeded.',
  502: 'An upstream service (provider or compositor) failed.',
  503: 'Not configured or not available here.',
};

/** Every route of both services. A test fails when a route is missing here. */
export const OPERATIONS: Operation[] = [
  {
    method: 'post',
    path: '/api/v1/video',
    service: 'orchestrator',
    tag: 'Video generation',
    summary: 'Start a video generation job for the API key’s business (202 with the job).',
    auth: 'apiKey',
    body: createVideoSchema,
    responses: { 202: { description: 'The job, status processing.', schema: videoView }, ...errors(400, 401, 403, 409, 413, 415, 429, 503) },
  },
  {
    method: 'get',
    path: '/api/v1/video',
    service: 'orchestrator',
    tag: 'Video generation',
    summary: 'List the business’s video jobs (newest first) with this month’s credit usage.',
    auth: 'apiKey',
    query: {
      limit: { description: '1–50, default 20', schema: { type: 'integer', minimum: 1, maximum: 50, default: 20 } },
      status: { description: 'Filter by status', schema: { type: 'string', enum: ['completed', 'processing', 'failed', 'all'], default: 'all' } },
    },
    responses: { 200: { description: 'Jobs and usage.', schema: videoList }, ...errors(400, 401, 403) },
  },
  {
    method: 'post',
    path: '/api/businesses/me/video',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary: 'Start a clip generation and store its commercial source bundle (script, audioConfig, shots, compositing guidance). Same credits as v1; Idempotency-Key honoured.',
    auth: 'session',
    body: createBundleSchema,
    responses: { 202: { description: 'The video with its bundle.', schema: dashboardVideoEnvelope }, ...errors(400, 401, 403, 409, 413, 415, 429, 503) },
  },
  {
    method: 'get',
    path: '/api/businesses/me/video',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary: 'With videoId: status and bundle (download=1 streams the generated clip, Range supported). Without: the business’s videos and usage (as v1).',
    auth: 'session',
    query: {
      videoId: { description: 'One of your videos', schema: { type: 'string' } },
      download: { description: '1 streams the generated source mp4', schema: { type: 'string', enum: ['1', '0', 'true', 'false'] } },
      limit: { description: '1–50, default 20 (list)', schema: { type: 'integer', minimum: 1, maximum: 50 } },
      status: { description: 'completed, processing, failed or all (list)', schema: { type: 'string' } },
    },
    responses: {
      200: { description: 'One video ({video}) or the list ({videos, creditsUsed, …}); with download=1 the mp4 bytes.', schema: z.union([dashboardVideoEnvelope, videoList]) },
      206: { description: 'Partial content of the mp4 (Range).', schema: 'binary' },
      304: { description: 'Not modified (ETag).' },
      ...errors(400, 401, 403, 404, 409, 416),
    },
  },
  {
    method: 'post',
    path: '/api/businesses/me/video/captions',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary: 'Timed caption cues for a completed video (1 credit when new cues are generated; saved cues are free), plus a body ready for POST composite.',
    auth: 'session',
    body: captionsBodySchema,
    responses: { 200: { description: 'Cues, composite body, whether this call charged.', schema: captionsResponse }, ...errors(400, 401, 403, 404, 409, 413, 415, 429, 503) },
  },
  {
    method: 'post',
    path: '/api/businesses/me/video/composite',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary:
      'Render the final commercial from a completed video’s bundle (accepts the captions compositeBody unchanged). Holds 1 credit while rendering; charged only on a verified output (charge_only_on_composite_output).',
    auth: 'session',
    body: compositeBodySchema,
    responses: {
      200: { description: 'Completed within the wait (or failed).', schema: compositeAnswer },
      202: { description: 'Still rendering: poll statusEndpoint with jobToken.', schema: compositeAnswer },
      ...errors(400, 401, 403, 404, 409, 413, 415, 429, 502, 503),
    },
  },
  {
    method: 'get',
    path: '/api/businesses/me/video/composite',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary: 'Poll a composite by jobToken; the first completed answer charges (once, however often polled); failed releases the hold.',
    auth: 'session',
    query: { jobToken: { description: 'From the POST answer', schema: { type: 'string' } } },
    responses: {
      200: { description: 'Completed or failed.', schema: compositeAnswer },
      202: { description: 'Still rendering.', schema: compositeAnswer },
      ...errors(400, 401, 403, 404),
    },
  },
  {
    method: 'post',
    path: '/api/businesses/me/video/composite-clips',
    service: 'orchestrator',
    tag: 'Dashboard',
    summary: 'Stitch 2–10 completed clips of the business in order with cut or fade transitions, normalized to the slot and aspect. Same answers and charge rule as composite.',
    auth: 'session',
    body: clipsBodySchema,
    responses: {
      200: { description: 'Completed within the wait (or failed).', schema: compositeAnswer },
      202: { description: 'Still rendering.', schema: compositeAnswer },
      ...errors(400, 401, 403, 404, 409, 413, 415, 429, 502, 503),
    },
  },
  {
    method: 'get',
    path: '/internal/music/:mood',
    service: 'orchestrator',
    tag: 'Internal (compositor)',
    summary: 'A built-in music bed (upbeat, calm, corporate) at a short-lived signed URL, for the compositor.',
    auth: 'signedUrl',
    responses: { 200: { description: 'audio/mp4', schema: 'binary' }, 206: { description: 'Partial content', schema: 'binary' }, 304: { description: 'Not modified' }, ...errors(401, 404, 416) },
  },
  {
    method: 'get',
    path: '/api/businesses/me/webhook',
    service: 'orchestrator',
    tag: 'Webhooks',
    summary: 'The business’s webhook endpoint (without its secret).',
    auth: 'session',
    responses: { 200: { description: 'The webhook.', schema: webhookView }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'put',
    path: '/api/businesses/me/webhook',
    service: 'orchestrator',
    tag: 'Webhooks',
    summary: 'Register or change the webhook URL. Events video.completed|failed, composite.completed|failed are POSTed signed (X-NearIQ-Signature: v1=HMAC of "<ts>.<body>"), retried with backoff, deduplicable by X-NearIQ-Event-Id.',
    auth: 'session',
    body: putWebhookSchema,
    responses: {
      200: { description: 'Updated (secret included).', schema: webhookView },
      201: { description: 'Created (secret shown).', schema: webhookView },
      ...errors(400, 401, 403, 413, 415),
    },
  },
  {
    method: 'delete',
    path: '/api/businesses/me/webhook',
    service: 'orchestrator',
    tag: 'Webhooks',
    summary: 'Remove the webhook; undelivered events are canceled.',
    auth: 'session',
    responses: { 204: { description: 'Removed.' }, ...errors(400, 401, 403, 404) },
  },
  {
    method: 'get',
    path: '/internal/sources/:videoId',
    service: 'orchestrator',
    tag: 'Internal (compositor)',
    summary: 'A generated clip at a short-lived signed URL (exp, sig), for the compositor. Range supported.',
    auth: 'signedUrl',
    responses: { 200: { description: 'video/mp4', schema: 'binary' }, 206: { description: 'Partial content', schema: 'binary' }, 304: { description: 'Not modified' }, ...errors(401, 404, 416) },
  },
  {
    method: 'get',
    path: '/internal/narration/:fileName',
    service: 'orchestrator',
    tag: 'Internal (compositor)',
    summary: 'Narration audio (WAV) at a short-lived signed URL, for the compositor.',
    auth: 'signedUrl',
    responses: { 200: { description: 'audio/wav', schema: 'binary' }, 206: { description: 'Partial content', schema: 'binary' }, 304: { description: 'Not modified' }, ...errors(401, 404, 416) },
  },
  {
    method: 'get',
    path: '/metrics',
    service: 'both',
    tag: 'Operations',
    summary: 'Prometheus metrics: requests by route, generations, composites and renders by outcome, render seconds, queue depth, credits held and charged, provider errors (orchestrator: Bearer METRICS_TOKEN when set).',
    auth: 'none',
    responses: { 200: { description: 'text/plain; version=0.0.4' }, ...errors(401) },
  },
  {
    method: 'get',
    path: '/readyz/full',
    service: 'orchestrator',
    tag: 'Operations',
    summary: 'Same as /readyz on the orchestrator (kept for existing health checks).',
    auth: 'none',
    responses: { 200: { description: 'Ready or degraded.', schema: readiness }, 503: { description: 'Not ready.' } },
  },
  {
    method: 'get',
    path: '/api/openapi.json',
    service: 'orchestrator',
    tag: 'Operations',
    summary: 'This OpenAPI 3.1 document.',
    auth: 'none',
    responses: { 200: { description: 'The document.' } },
  },
  {
    method: 'get',
    path: '/api/docs',
    service: 'orchestrator',
    tag: 'Operations',
    summary: 'A readable reference page of this document.',
    auth: 'none',
    responses: { 200: { description: 'HTML.' } },
  },
  {
    method: 'get',
    path: '/healthz',
    service: 'both',
    tag: 'Operations',
    summary: 'Liveness.',
    auth: 'none',
    responses: { 200: { description: 'Up.', schema: health } },
  },
  {
    method: 'get',
    path: '/readyz',
    service: 'both',
    tag: 'Operations',
    summary: 'Readiness. Orchestrator: the database, ffmpeg and every compositor (503 when the database or ffmpeg fails or no compositor answers; "degraded" when some do not). Compositor: ffmpeg and ffprobe run.',
    auth: 'none',
    responses: { 200: { description: 'Ready.' }, 503: { description: 'Not ready.' } },
  },
  {
    method: 'post',
    path: '/compose',
    service: 'compositor',
    tag: 'Compositor',
    summary: 'Submit a compose spec (signed: X-Timestamp + X-Signature v1=HMAC of "<ts>.<raw body>"; stale or replayed signatures are 401). Sources must come from the allowed origins.',
    auth: 'signature',
    body: composeSpecSchema,
    responses: { 202: { description: 'Queued.', schema: composeAccepted }, ...errors(400, 401, 413, 415, 503) },
  },
  {
    method: 'get',
    path: '/compose/:jobId',
    service: 'compositor',
    tag: 'Compositor',
    summary: 'A compose job: status, progress 0–1, output (verified with ffprobe) or error.',
    auth: 'none',
    responses: { 200: { description: 'The job.', schema: composeJob }, ...errors(404) },
  },
  {
    method: 'delete',
    path: '/compose/:jobId',
    service: 'compositor',
    tag: 'Compositor',
    summary: 'Cancel a queued or rendering job: signed like POST, with the body {"jobId": "<the job in the path>", "nonce": "<unique>"}, so the signature is bound to the job.',
    auth: 'signature',
    responses: { 200: { description: 'The canceled job.', schema: composeJob }, ...errors(400, 401, 404, 409) },
  },
  {
    method: 'get',
    path: '/composites/:name',
    service: 'compositor',
    tag: 'Compositor',
    summary: 'A finished composite (video/mp4) by its unguessable name; Range/206, ETag.',
    auth: 'none',
    responses: { 200: { description: 'video/mp4', schema: 'binary' }, 206: { description: 'Partial content', schema: 'binary' }, 304: { description: 'Not modified' }, ...errors(404, 416) },
  },
  {
    method: 'head',
    path: '/composites/:name',
    service: 'compositor',
    tag: 'Compositor',
    summary: 'Headers of a finished composite (size, type, ETag).',
    auth: 'none',
    responses: { 200: { description: 'Headers only.' }, ...errors(404) },
  },
];
