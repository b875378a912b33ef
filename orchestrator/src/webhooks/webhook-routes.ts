import type Router from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import { sessionAccess, type Access } from '../auth/access.js';
import { parseWith } from '../http/validate.js';
import { addRoutes, type OrchestratorContext } from '../orchestrator.js';
import { WebhookDeliverer } from './webhook-deliverer.js';
import { envelopeFor } from './webhook-events.js';
import { WebhookRepository, type WebhookRecord } from './webhook-repository.js';
import { putWebhookSchema } from './webhook-schemas.js';
import { checkWebhookUrl } from './webhook-url.js';

export const WEBHOOK_PATH = '/api/businesses/me/webhook';

function view(hook: WebhookRecord, withSecret: boolean) {
  const base = { url: hook.url, createdAt: hook.createdAt, updatedAt: hook.updatedAt };
  return withSecret ? { ...base, secret: hook.secret } : base;
}

/**
 * Dashboard routes for the business's one webhook endpoint, the outbox
 * writer (domain events → webhook_deliveries) and the background deliverer.
 */
export function registerWebhooks(router: Router, ctx: OrchestratorContext): WebhookDeliverer {
  const { config, logger } = ctx;
  const repo = new WebhookRepository(ctx.db);
  const deliverer = new WebhookDeliverer({ repo, logger }, config.webhooks);

  // The outbox row commits in the same transaction as the outcome it reports; delivery starts after the commit.
  ctx.events.onRecord(async (trx, event) => {
    const envelope = envelopeFor(event);
    await repo.enqueue({ id: envelope.id, businessId: event.businessId, eventType: event.type, payload: JSON.stringify(envelope) }, trx);
  });
  ctx.events.on(() => deliverer.nudge());

  router.get(WEBHOOK_PATH, sessionAccess(ctx.access, 'read'), async (k) => {
    const access = k.state.access as Access;
    const hook = await repo.get(access.business.id);
    if (!hook) throw new AppError('not_found', `No webhook is registered; register one with PUT ${WEBHOOK_PATH} {"url": "https://…"}.`);
    k.body = view(hook, false);
  });

  router.put(WEBHOOK_PATH, sessionAccess(ctx.access, 'create'), async (k) => {
    const access = k.state.access as Access;
    const body = parseWith(putWebhookSchema, k.request.body);
    const url = checkWebhookUrl(body.url, config.webhooks);
    const { webhook, created } = await repo.upsert({ businessId: access.business.id, url, rotateSecret: body.rotateSecret === true });
    k.status = created ? 201 : 200;
    k.body = view(webhook, true);
  });

  router.delete(WEBHOOK_PATH, sessionAccess(ctx.access, 'create'), async (k) => {
    const access = k.state.access as Access;
    if (!(await repo.remove(access.business.id))) throw new AppError('not_found', 'No webhook is registered, so there is nothing to delete.');
    k.status = 204;
  });

  if (config.webhooks.enabled) {
    deliverer.start();
    ctx.onClose.push(() => deliverer.stop());
  }
  return deliverer;
}

addRoutes((router, ctx) => {
  registerWebhooks(router, ctx);
});
