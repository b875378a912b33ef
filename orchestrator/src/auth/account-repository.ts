import type { Db } from '../db/connect.js';
import { newId } from '../db/ids.js';
import { nowIso, parseJson } from '../db/time.js';

export interface Plan {
  name: string;
  monthlyCredits: number;
  watermarkRequired: boolean;
  allowVoice: boolean;
  allowMusic: boolean;
  allowText: boolean;
  premiumNarration: boolean;
  customWatermark: boolean;
}

export interface Business {
  id: string;
  name: string;
  plan: string;
  teamId: string | null;
  watermarkText: string | null;
}

export interface ApiKeyRecord {
  id: string;
  businessId: string;
  userId: string | null;
  scopes: string[];
  revokedAt: string | null;
}

type Row = Record<string, unknown>;

const toPlan = (r: Row): Plan => ({
  name: String(r.name),
  monthlyCredits: Number(r.monthly_credits),
  watermarkRequired: Boolean(r.watermark_required),
  allowVoice: Boolean(r.allow_voice),
  allowMusic: Boolean(r.allow_music),
  allowText: Boolean(r.allow_text),
  premiumNarration: Boolean(r.premium_narration),
  customWatermark: Boolean(r.custom_watermark),
});

const toBusiness = (r: Row): Business => ({
  id: String(r.id),
  name: String(r.name),
  plan: String(r.plan),
  teamId: (r.team_id as string | null) ?? null,
  watermarkText: (r.watermark_text as string | null) ?? null,
});

/** Plans, businesses, users, teams, memberships and API keys. */
export class AccountRepository {
  constructor(private readonly db: Db) {}

  async listPlans(): Promise<Plan[]> {
    return (await this.db('plans').orderBy('monthly_credits')).map(toPlan);
  }

  async getPlan(name: string): Promise<Plan | null> {
    const row = await this.db('plans').where({ name }).first();
    return row ? toPlan(row) : null;
  }

  async upsertPlan(p: Plan): Promise<Plan> {
    const row = {
      name: p.name,
      monthly_credits: p.monthlyCredits,
      watermark_required: p.watermarkRequired,
      allow_voice: p.allowVoice,
      allow_music: p.allowMusic,
      allow_text: p.allowText,
      premium_narration: p.premiumNarration,
      custom_watermark: p.customWatermark,
    };
    await this.db('plans').insert(row).onConflict('name').merge();
    return p;
  }

  async createBusiness(input: { name: string; plan: string; teamId?: string | null }): Promise<Business> {
    const b = { id: newId('biz'), name: input.name, plan: input.plan, team_id: input.teamId ?? null, watermark_text: null, created_at: nowIso() };
    await this.db('businesses').insert(b);
    return toBusiness(b);
  }

  async getBusiness(id: string): Promise<Business | null> {
    const row = await this.db('businesses').where({ id }).first();
    return row ? toBusiness(row) : null;
  }

  async setWatermarkText(id: string, text: string | null): Promise<void> {
    await this.db('businesses').where({ id }).update({ watermark_text: text });
  }

  async setBusinessPlan(id: string, plan: string): Promise<void> {
    await this.db('businesses').where({ id }).update({ plan });
  }

  async createUser(email: string): Promise<{ id: string; email: string }> {
    const u = { id: newId('usr'), email, created_at: nowIso() };
    await this.db('users').insert(u);
    return { id: u.id, email };
  }

  async getUser(id: string): Promise<{ id: string; email: string } | null> {
    const row = await this.db('users').where({ id }).first();
    return row ? { id: String(row.id), email: String(row.email) } : null;
  }

  async createTeam(name: string): Promise<{ id: string; name: string }> {
    const t = { id: newId('team'), name, created_at: nowIso() };
    await this.db('teams').insert(t);
    return { id: t.id, name };
  }

  async getTeam(id: string): Promise<{ id: string; name: string } | null> {
    const row = await this.db('teams').where({ id }).first();
    return row ? { id: String(row.id), name: String(row.name) } : null;
  }

  async setMembership(input: { teamId: string; userId: string; permissions: string[] }): Promise<void> {
    await this.db('memberships')
      .insert({ team_id: input.teamId, user_id: input.userId, permissions: JSON.stringify(input.permissions), created_at: nowIso() })
      .onConflict(['team_id', 'user_id'])
      .merge(['permissions']);
  }

  /** null when the user is not a member of the team. */
  async getPermissions(teamId: string, userId: string): Promise<string[] | null> {
    const row = await this.db('memberships').where({ team_id: teamId, user_id: userId }).first();
    return row ? parseJson<string[]>(row.permissions, []) : null;
  }

  async insertApiKey(input: { businessId: string; userId: string | null; keyHash: string; keyPrefix: string; scopes: string[] }): Promise<string> {
    const id = newId('key');
    await this.db('api_keys').insert({
      id,
      business_id: input.businessId,
      user_id: input.userId,
      key_hash: input.keyHash,
      key_prefix: input.keyPrefix,
      scopes: JSON.stringify(input.scopes),
      created_at: nowIso(),
    });
    return id;
  }

  async findApiKeyByHash(keyHash: string): Promise<(ApiKeyRecord & { keyHash: string }) | null> {
    const row = await this.db('api_keys').where({ key_hash: keyHash }).first();
    if (!row) return null;
    return {
      id: String(row.id),
      businessId: String(row.business_id),
      userId: (row.user_id as string | null) ?? null,
      scopes: parseJson<string[]>(row.scopes, []),
      revokedAt: (row.revoked_at as string | null) ?? null,
      keyHash: String(row.key_hash),
    };
  }

  async revokeApiKey(id: string): Promise<boolean> {
    const n = await this.db('api_keys').where({ id }).whereNull('revoked_at').update({ revoked_at: nowIso() });
    if (n > 0) return true;
    return Boolean(await this.db('api_keys').where({ id }).first());
  }
}
