import type { Knex } from 'knex';
import type { Db } from './connect.js';

/**
 * Lease claims for background work shared by replicas (generation jobs,
 * composite polls, webhook deliveries). A row is claimed with a conditional
 * UPDATE that matches only the lease value just read, so of two replicas
 * only one UPDATE matches: exactly one owner, on SQLite and PostgreSQL alike.
 * Tables need `id`, `seq`, `lease_owner` and `lease_until` (epoch ms).
 */
export async function claimLeased(input: {
  db: Db;
  table: string;
  /** Which rows are due (besides a lapsed lease), e.g. `{ status: 'processing' }`. */
  due: (q: Knex.QueryBuilder) => void;
  owner: string;
  leaseMs: number;
  limit: number;
  now?: number;
}): Promise<string[]> {
  const { db, table, owner } = input;
  const now = input.now ?? Date.now();
  const candidates = await db(table)
    .select('id', 'lease_until')
    .where(input.due)
    .andWhere((q) => q.whereNull('lease_until').orWhere('lease_until', '<', now))
    .orderBy('seq')
    .limit(input.limit);
  const claimed: string[] = [];
  for (const c of candidates) {
    const q = db(table).where({ id: c.id }).andWhere(input.due);
    if (c.lease_until === null) q.whereNull('lease_until');
    else q.andWhere('lease_until', c.lease_until);
    if ((await q.update({ lease_owner: owner, lease_until: now + input.leaseMs })) === 1) claimed.push(String(c.id));
  }
  return claimed;
}

export async function releaseLease(db: Db, table: string, id: string, owner: string): Promise<void> {
  await db(table).where({ id, lease_owner: owner }).update({ lease_owner: null, lease_until: null });
}

export async function renewLease(input: { db: Db; table: string; id: string; owner: string; leaseMs: number }): Promise<void> {
  await input.db(input.table).where({ id: input.id, lease_owner: input.owner }).update({ lease_until: Date.now() + input.leaseMs });
}
