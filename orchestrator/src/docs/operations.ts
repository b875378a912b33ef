import type { z } from 'zod';
import { createVideoSchema } from '../videos/video-schemas.js';
import { errorBody, health, videoList, videoView } from './schemas.js';

export type Auth = 'apiKey' | 'session' | 'signature' | 'signedUrl' | 'none';

export interface Operation {
  method: 'get' | 'post' | 'put' | 'delete' | 'head';
  /** Koa route pattern, e.g. /compose/:jobId */
  path: string;
  service: 'orchestrator' | 'compositor';
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
    service: 'orchestrator',
    tag: 'Operations',
    summary: 'Liveness.',
    auth: 'none',
    responses: { 200: { description: 'Up.', schema: health } },
  },
  {
    method: 'get',
    path: '/readyz',
    service: 'orchestrator',
    tag: 'Operations',
    summary: 'Readiness: the database answers.',
    auth: 'none',
    responses: { 200: { description: 'Ready.' }, 503: { description: 'Not ready.' } },
  },
];
