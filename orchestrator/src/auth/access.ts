import type { Context, Next } from 'koa';
import { AppError } from '../../../shared/src/errors.js';
import type { AccountRepository, Business, Plan } from './account-repository.js';
import { apiKeyMatches, hashApiKey, type Scope } from './api-keys.js';
import { verifySessionToken } from './sessions.js';

export const SESSION_COOKIE = 'neariq_session';
export const CREATE_VIDEO = 'create_video';

export interface Actor {
  kind: 'api_key' | 'session';
  businessId: string | null;
  userId: string | null;
  scopes: readonly Scope[];
}

export interface Access {
  actor: Actor;
  business: Business;
  plan: Plan;
}

export type Need = 'read' | 'create';

function bearer(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return m ? m[1] : undefined;
}

/**
 * Who is calling, and what may they do with their active business. Checked on
 * every request, so a revoked key or a removed permission takes effect on the
 * next one.
 */
export class AccessControl {
  constructor(
    private readonly accounts: AccountRepository,
    private readonly sessionSecret: string,
  ) {}

  async apiKeyActor(ctx: Context): Promise<Actor> {
    const presented = bearer(ctx) ?? (ctx.get('x-api-key').trim() || undefined);
    if (!presented) throw new AppError('unauthorized', 'Send your API key as "Authorization: Bearer <key>" or "X-API-Key: <key>".');
    if (presented.length > 200) throw new AppError('unauthorized', 'The API key is not valid; create a new key in Settings > API Keys.');
    const record = await this.accounts.findApiKeyByHash(hashApiKey(presented));
    if (!record || !apiKeyMatches(presented, record.keyHash)) {
      throw new AppError('unauthorized', 'The API key is not valid; create a new key in Settings > API Keys.');
    }
    if (record.revokedAt) throw new AppError('unauthorized', 'The API key has been revoked; create a new key in Settings > API Keys.');
    return { kind: 'api_key', businessId: record.businessId, userId: record.userId, scopes: record.scopes as Scope[] };
  }

  sessionActor(ctx: Context): Actor {
    const token = bearer(ctx) ?? ctx.cookies.get(SESSION_COOKIE);
    if (!token) throw new AppError('unauthorized', `Send the dashboard session as "Authorization: Bearer <token>" or the ${SESSION_COOKIE} cookie.`);
    const claims = verifySessionToken(this.sessionSecret, token);
    return { kind: 'session', businessId: claims.businessId, userId: claims.userId, scopes: ['content:read', 'content:write'] };
  }

  async resolve(actor: Actor, need: Need): Promise<Access> {
    if (!actor.businessId) throw new AppError('missing_active_business', 'No active business is selected; choose a business and try again.');
    const business = await this.accounts.getBusiness(actor.businessId);
    if (!business) throw new AppError('missing_active_business', 'The active business no longer exists; choose another business.');
    if (actor.kind === 'session' && !(await this.accounts.getUser(actor.userId!))) {
      throw new AppError('unauthorized', 'The session user no longer exists; sign in again.');
    }
    if (business.teamId) await this.checkTeam(actor, business.teamId, need);
    const plan = await this.accounts.getPlan(business.plan);
    if (!plan) throw new AppError('internal_error', `Plan ${business.plan} is missing.`);
    return { actor, business, plan };
  }

  private async checkTeam(actor: Actor, teamId: string, need: Need): Promise<void> {
    if (!actor.userId) {
      if (need === 'read') return; // a key issued to the business itself may read it
      throw new AppError('team_permission_required', 'This business belongs to a team: use an API key bound to a team member with the create_video permission.');
    }
    const permissions = await this.accounts.getPermissions(teamId, actor.userId);
    if (!permissions) throw new AppError('team_permission_required', "You are not a member of this business's team; ask a team admin to add you.");
    if (need === 'create' && !permissions.includes(CREATE_VIDEO)) {
      throw new AppError('team_permission_required', 'You need the create_video permission in this team; ask a team admin to grant it.');
    }
  }
}

export function requireScope(actor: Actor, scope: Scope): void {
  if (!actor.scopes.includes(scope)) {
    throw new AppError('insufficient_scope', `This API key lacks the ${scope} scope; create a key with ${scope}.`);
  }
}

/** Plans with no monthly credits may read but never create or charge. */
export function requireCreatingPlan(plan: Plan): void {
  if (plan.monthlyCredits <= 0) {
    throw new AppError('plan_not_allowed', `The ${plan.name} plan has no video credits; upgrade to starter, pro or agency to create videos.`);
  }
}

/** Koa middleware: API-key auth + scope + business access for /api/v1. */
export function apiKeyAccess(access: AccessControl, scope: Scope, need: Need) {
  return async (ctx: Context, next: Next) => {
    const actor = await access.apiKeyActor(ctx);
    requireScope(actor, scope);
    ctx.state.access = await access.resolve(actor, need);
    await next();
  };
}

/** Koa middleware: dashboard-session auth + business access. */
export function sessionAccess(access: AccessControl, need: Need) {
  return async (ctx: Context, next: Next) => {
    ctx.state.access = await access.resolve(access.sessionActor(ctx), need);
    await next();
  };
}
