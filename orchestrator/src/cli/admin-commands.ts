import type { AccountRepository, Plan } from '../auth/account-repository.js';
import { generateApiKey, SCOPES } from '../auth/api-keys.js';
import { issueSessionToken } from '../auth/sessions.js';

export class UsageError extends Error {}

export type Flags = Record<string, string>;

export function parseFlags(argv: string[]): Flags {
  const flags: Flags = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const m = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!m) throw new UsageError(`unexpected argument "${arg}"; flags look like --name VALUE`);
    if (m[2] !== undefined) flags[m[1]] = m[2];
    else {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new UsageError(`--${m[1]} needs a value`);
      flags[m[1]] = value;
      i++;
    }
  }
  return flags;
}

function required(flags: Flags, name: string): string {
  const v = flags[name];
  if (v === undefined || v.trim() === '') throw new UsageError(`--${name} is required`);
  return v.trim();
}

function bool(flags: Flags, name: string, fallback: boolean): boolean {
  const v = flags[name];
  if (v === undefined) return fallback;
  if (v === 'true') return true;
  if (v === 'false') return false;
  throw new UsageError(`--${name} must be true or false`);
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

export interface CommandDeps {
  accounts: AccountRepository;
  sessionSecret: string;
}

type Command = { usage: string; run: (flags: Flags, deps: CommandDeps) => Promise<object> };

/** The operator commands of DESIGN.md; each returns the one JSON object it prints. */
export const COMMANDS: Record<string, Command> = {
  'business:create': {
    usage: '--name NAME --plan PLAN [--team TEAM_ID]',
    run: async (f, { accounts }) => {
      const name = required(f, 'name');
      const plan = required(f, 'plan');
      if (!(await accounts.getPlan(plan))) throw new UsageError(`unknown plan "${plan}" (see plan:list)`);
      if (f.team && !(await accounts.getTeam(f.team))) throw new UsageError(`unknown team "${f.team}"`);
      const b = await accounts.createBusiness({ name, plan, teamId: f.team ?? null });
      return { id: b.id };
    },
  },
  'business:set-plan': {
    usage: '--id BUSINESS_ID --plan PLAN',
    run: async (f, { accounts }) => {
      const id = required(f, 'id');
      const plan = required(f, 'plan');
      if (!(await accounts.getBusiness(id))) throw new UsageError(`unknown business "${id}"`);
      if (!(await accounts.getPlan(plan))) throw new UsageError(`unknown plan "${plan}" (see plan:list)`);
      await accounts.setBusinessPlan(id, plan);
      return { id, plan };
    },
  },
  'business:set-watermark': {
    usage: '--id BUSINESS_ID --text TEXT (empty text clears it; used on plans with a custom watermark)',
    run: async (f, { accounts }) => {
      const id = required(f, 'id');
      const text = (f.text ?? '').trim();
      if ([...text].length > 60) throw new UsageError('--text must be at most 60 characters');
      if (!(await accounts.getBusiness(id))) throw new UsageError(`unknown business "${id}"`);
      await accounts.setWatermarkText(id, text || null);
      return { id, watermarkText: text || null };
    },
  },
  'user:create': {
    usage: '--email EMAIL',
    run: async (f, { accounts }) => {
      const email = required(f, 'email');
      if (!/^[^\s@]+@[^\s@]+$/.test(email)) throw new UsageError(`"${email}" is not an email address`);
      return { id: (await accounts.createUser(email)).id };
    },
  },
  'team:create': {
    usage: '--name NAME',
    run: async (f, { accounts }) => ({ id: (await accounts.createTeam(required(f, 'name'))).id }),
  },
  'member:add': {
    usage: '--team TEAM_ID --user USER_ID [--permissions create_video,...]',
    run: async (f, { accounts }) => {
      const teamId = required(f, 'team');
      const userId = required(f, 'user');
      if (!(await accounts.getTeam(teamId))) throw new UsageError(`unknown team "${teamId}"`);
      if (!(await accounts.getUser(userId))) throw new UsageError(`unknown user "${userId}"`);
      const permissions = list(f.permissions);
      await accounts.setMembership({ teamId, userId, permissions });
      return { teamId, userId, permissions };
    },
  },
  'apikey:create': {
    usage: '--business ID [--user USER_ID] --scopes content:read,content:write',
    run: async (f, { accounts }) => {
      const businessId = required(f, 'business');
      const scopes = list(required(f, 'scopes'));
      const bad = scopes.filter((s) => !(SCOPES as readonly string[]).includes(s));
      if (bad.length || scopes.length === 0) throw new UsageError(`--scopes must be a comma list of ${SCOPES.join(', ')}`);
      if (!(await accounts.getBusiness(businessId))) throw new UsageError(`unknown business "${businessId}"`);
      if (f.user && !(await accounts.getUser(f.user))) throw new UsageError(`unknown user "${f.user}"`);
      const { key, hash, prefix } = generateApiKey();
      const id = await accounts.insertApiKey({ businessId, userId: f.user ?? null, keyHash: hash, keyPrefix: prefix, scopes });
      return { key, id };
    },
  },
  'apikey:revoke': {
    usage: '--id KEY_ID',
    run: async (f, { accounts }) => {
      const id = required(f, 'id');
      if (!(await accounts.revokeApiKey(id))) throw new UsageError(`unknown API key "${id}"`);
      return { id, revoked: true };
    },
  },
  'session:token': {
    usage: '--user USER_ID --business ID [--ttl 3600]',
    run: async (f, { accounts, sessionSecret }) => {
      const userId = required(f, 'user');
      const businessId = required(f, 'business');
      const ttl = f.ttl === undefined ? 3600 : Number(f.ttl);
      if (!Number.isInteger(ttl) || ttl < 1) throw new UsageError('--ttl must be a whole number of seconds (at least 1)');
      if (!(await accounts.getUser(userId))) throw new UsageError(`unknown user "${userId}"`);
      if (!(await accounts.getBusiness(businessId))) throw new UsageError(`unknown business "${businessId}"`);
      return { token: issueSessionToken(sessionSecret, { userId, businessId, ttlSec: ttl }) };
    },
  },
  'plan:list': {
    usage: '',
    run: async (_f, { accounts }) => ({ plans: await accounts.listPlans() }),
  },
  'plan:set': {
    usage: '--name PLAN --credits N [--watermark true|false] [--voice ..] [--music ..] [--text ..] [--premium-narration ..] [--custom-watermark ..]',
    run: async (f, { accounts }) => {
      const name = required(f, 'name');
      if (!/^[a-z0-9_-]{1,40}$/.test(name)) throw new UsageError('--name must be 1-40 lowercase letters, digits, _ or -');
      const credits = Number(required(f, 'credits'));
      if (!Number.isInteger(credits) || credits < 0) throw new UsageError('--credits must be a whole number ≥ 0');
      const current = await accounts.getPlan(name);
      const plan: Plan = {
        name,
        monthlyCredits: credits,
        watermarkRequired: bool(f, 'watermark', current?.watermarkRequired ?? true),
        allowVoice: bool(f, 'voice', current?.allowVoice ?? false),
        allowMusic: bool(f, 'music', current?.allowMusic ?? false),
        allowText: bool(f, 'text', current?.allowText ?? false),
        premiumNarration: bool(f, 'premium-narration', current?.premiumNarration ?? false),
        customWatermark: bool(f, 'custom-watermark', current?.customWatermark ?? false),
      };
      return { plan: await accounts.upsertPlan(plan) };
    },
  },
};
