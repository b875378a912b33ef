import type Router from '@koa/router';
import { requireCreatingPlan, sessionAccess, type Access } from '../auth/access.js';
import { captionsBodySchema } from '../captions/caption-schemas.js';
import { createCaptions } from '../captions/caption-service.js';
import { parseWith } from '../http/validate.js';
import type { OrchestratorContext } from '../orchestrator.js';
import { VIDEO_ROUTE } from './dashboard-views.js';

/** POST /api/businesses/me/video/captions. */
export function registerCaptionsRoutes(router: Router, ctx: OrchestratorContext): void {
  router.post(`${VIDEO_ROUTE}/captions`, sessionAccess(ctx.access, 'create'), async (kctx) => {
    const access = kctx.state.access as Access;
    requireCreatingPlan(access.plan);
    const body = parseWith(captionsBodySchema, kctx.request.body);
    kctx.body = await createCaptions(ctx, { access, body });
  });
}
