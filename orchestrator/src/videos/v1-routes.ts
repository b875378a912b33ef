import type Router from '@koa/router';
import { apiKeyAccess, type Access, type AccessControl } from '../auth/access.js';
import { parseWith } from '../http/validate.js';
import { createVideoSchema, listVideosQuery } from './video-schemas.js';
import { validateIdempotencyKey, type VideoService } from './video-service.js';

/** The public API of the seed: POST and GET /api/v1/video. */
export function registerV1Routes(router: Router, deps: { access: AccessControl; videos: VideoService }): void {
  router.post('/api/v1/video', apiKeyAccess(deps.access, 'content:write', 'create'), async (ctx) => {
    const access = ctx.state.access as Access;
    const idempotencyKey = validateIdempotencyKey(ctx.get('idempotency-key') || undefined);
    const body = parseWith(createVideoSchema, ctx.request.body);
    const result = await deps.videos.create({ access, body, idempotencyKey });
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
    ctx.status = 202;
    ctx.body = result.response;
  });

  router.get('/api/v1/video', apiKeyAccess(deps.access, 'content:read', 'read'), async (ctx) => {
    const access = ctx.state.access as Access;
    const query = parseWith(listVideosQuery, { ...ctx.query });
    ctx.body = await deps.videos.list({ access, status: query.status, limit: query.limit });
  });
}
