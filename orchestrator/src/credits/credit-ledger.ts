import type { Knex } from 'knex';
import { AppError } from '../../../shared/src/errors.js';
import type { Db } from '../db/connect.js';
import { nowIso, periodOf } from '../db/time.js';

export type CreditKind = 'generation' | 'captions' | 'composite';
export type CreditState = 'held' | 'charged' | 'released';

/** Generation cost by slot length, per the plan policy. */
export const GENERATION_COST: Record<5 | 15 | 30, number> = { 5: 1, 15: 2, 30: 4 };
export const CAPTIONS_COST = 1;
export const COMPOSITE_COST = 1;

/**
 * The credit policy's one owner. `creditsUsed` of a month is the counter row
 * in `credit_usage`; every hold moves it with a single conditional UPDATE
 * (`used + cost <= limit`), which is atomic on SQLite and PostgreSQL alike and
 * across processes, so parallel requests at the boundary can never overspend.
 * Each ledger row is unique per (kind, ref): a thing is charged at most once,
 * and state moves only held → charged or held → released.
 */
export class CreditLedger {
  constructor(private readonly db: Db) {}

  /**
   * Holds `amount` credits for (kind, refId) and runs `within` in the same
   * transaction, so the hold and the record it pays for commit together or
   * not at all. Throws `credits_exhausted` (429) when the limit would pass.
   */
  async hold<T>(
    input: { businessId: string; kind: CreditKind; refId: string; amount: number; limit: number; state?: 'held' | 'charged'; now?: Date },
    within?: (trx: Knex.Transaction) => Promise<T>,
  ): Promise<T | undefined> {
    const now = input.now ?? new Date();
    const period = periodOf(now);
    return this.db.transaction(async (trx) => {
      await trx('credit_usage').insert({ business_id: input.businessId, period, used: 0 }).onConflict(['business_id', 'period']).ignore();
      const updated = await trx('credit_usage')
        .where({ business_id: input.businessId, period })
        .andWhereRaw('used + ? <= ?', [input.amount, input.limit])
        .update({ used: trx.raw('used + ?', [input.amount]) });
      if (updated !== 1) {
        const row = await trx('credit_usage').where({ business_id: input.businessId, period }).first();
        const used = Number(row?.used ?? 0);
        throw new AppError(
          'credits_exhausted',
          `This needs ${input.amount} credit(s) but only ${Math.max(0, input.limit - used)} of ${input.limit} remain this month; wait for the next month or upgrade the plan.`,
        );
      }
      const ts = nowIso(now);
      await trx('credit_ledger').insert({
        business_id: input.businessId,
        kind: input.kind,
        ref_id: input.refId,
        amount: input.amount,
        state: input.state ?? 'held',
        period,
        created_at: ts,
        updated_at: ts,
      });
      return within ? within(trx) : undefined;
    });
  }

  /** held → charged. True only for the call that made the transition. */
  async charge(kind: CreditKind, refId: string, trx?: Knex.Transaction): Promise<boolean> {
    const n = await (trx ?? this.db)('credit_ledger').where({ kind, ref_id: refId, state: 'held' }).update({ state: 'charged', updated_at: nowIso() });
    return n === 1;
  }

  /** held → released, giving the credits back to the month they were held in. */
  async release(kind: CreditKind, refId: string, trx?: Knex.Transaction): Promise<boolean> {
    const run = async (t: Knex.Transaction) => {
      const row = await t('credit_ledger').where({ kind, ref_id: refId, state: 'held' }).first();
      if (!row) return false;
      const n = await t('credit_ledger').where({ seq: row.seq, state: 'held' }).update({ state: 'released', updated_at: nowIso() });
      if (n !== 1) return false;
      await t('credit_usage').where({ business_id: row.business_id, period: row.period }).update({ used: t.raw('used - ?', [row.amount]) });
      return true;
    };
    return trx ? run(trx) : this.db.transaction(run);
  }

  async state(kind: CreditKind, refId: string): Promise<CreditState | null> {
    const row = await this.db('credit_ledger').where({ kind, ref_id: refId }).first();
    return row ? (row.state as CreditState) : null;
  }

  async used(businessId: string, now: Date = new Date()): Promise<number> {
    const row = await this.db('credit_usage').where({ business_id: businessId, period: periodOf(now) }).first();
    return Number(row?.used ?? 0);
  }
}
