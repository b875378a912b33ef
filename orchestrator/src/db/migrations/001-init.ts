import type { Knex } from 'knex';

/**
 * Timestamps are ISO-8601 UTC strings (sortable, identical on SQLite and
 * PostgreSQL); JSON documents are text. `seq` gives a stable newest-first order.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('plans', (t) => {
    t.string('name', 40).primary();
    t.integer('monthly_credits').notNullable();
    t.boolean('watermark_required').notNullable();
    t.boolean('allow_voice').notNullable();
    t.boolean('allow_music').notNullable();
    t.boolean('allow_text').notNullable();
    t.boolean('premium_narration').notNullable();
    t.boolean('custom_watermark').notNullable();
  });
  await knex('plans').insert([
    plan('free', 0, true, false, false, false, false, false),
    plan('starter', 20, true, false, true, true, false, false),
    plan('pro', 100, false, true, true, true, true, false),
    plan('agency', 500, false, true, true, true, true, true),
  ]);

  await knex.schema.createTable('teams', (t) => {
    t.string('id', 40).primary();
    t.string('name', 200).notNullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('businesses', (t) => {
    t.string('id', 40).primary();
    t.string('name', 200).notNullable();
    t.string('plan', 40).notNullable().references('plans.name');
    t.string('team_id', 40).nullable().references('teams.id');
    t.text('watermark_text').nullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('users', (t) => {
    t.string('id', 40).primary();
    t.string('email', 320).notNullable().unique();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('memberships', (t) => {
    t.string('team_id', 40).notNullable().references('teams.id');
    t.string('user_id', 40).notNullable().references('users.id');
    t.text('permissions').notNullable(); // JSON array
    t.string('created_at', 30).notNullable();
    t.primary(['team_id', 'user_id']);
  });
  await knex.schema.createTable('api_keys', (t) => {
    t.string('id', 40).primary();
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('user_id', 40).nullable().references('users.id');
    t.string('key_hash', 64).notNullable().unique();
    t.string('key_prefix', 20).notNullable();
    t.text('scopes').notNullable(); // JSON array
    t.string('revoked_at', 30).nullable();
    t.string('created_at', 30).notNullable();
  });
  await knex.schema.createTable('video_generations', (t) => {
    t.increments('seq').primary();
    t.string('id', 40).notNullable().unique();
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('user_id', 40).nullable();
    t.text('prompt').notNullable();
    t.integer('duration').notNullable();
    t.string('aspect_ratio', 8).notNullable();
    t.string('status', 16).notNullable();
    t.integer('credits').notNullable();
    t.string('provider', 40).notNullable();
    t.string('provider_job_id', 200).nullable();
    t.text('output_path').nullable();
    t.text('output_meta').nullable(); // JSON: probe result
    t.text('error').nullable();
    t.text('source_bundle').nullable(); // JSON
    t.text('captions').nullable(); // JSON
    t.string('lease_owner', 60).nullable();
    t.bigInteger('lease_until').nullable(); // epoch ms
    t.integer('attempts').notNullable().defaultTo(0);
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('completed_at', 30).nullable();
    t.index(['business_id', 'seq'], 'vg_business_seq');
    t.index(['business_id', 'status', 'seq'], 'vg_business_status_seq');
    t.index(['status', 'lease_until'], 'vg_status_lease');
  });

  // One row per business per month: the atomic counter the credit check updates.
  await knex.schema.createTable('credit_usage', (t) => {
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('period', 7).notNullable(); // YYYY-MM (UTC)
    t.integer('used').notNullable().defaultTo(0);
    t.primary(['business_id', 'period']);
  });
  // Every hold and charge, for audit and for "at most once" (unique kind + ref).
  await knex.schema.createTable('credit_ledger', (t) => {
    t.increments('seq').primary();
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('kind', 20).notNullable(); // generation | captions | composite
    t.string('ref_id', 120).notNullable();
    t.integer('amount').notNullable();
    t.string('state', 10).notNullable(); // held | charged | released
    t.string('period', 7).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.unique(['kind', 'ref_id'], { indexName: 'ledger_kind_ref' });
    t.index(['business_id', 'period', 'state'], 'ledger_business_period');
  });

  await knex.schema.createTable('idempotency_keys', (t) => {
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('idem_key', 255).notNullable();
    t.string('request_hash', 64).notNullable();
    t.string('video_id', 40).notNullable();
    t.text('response_body').notNullable();
    t.string('created_at', 30).notNullable();
    t.primary(['business_id', 'idem_key']);
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['idempotency_keys', 'credit_ledger', 'credit_usage', 'video_generations', 'api_keys', 'memberships', 'users', 'businesses', 'teams', 'plans']) {
    await knex.schema.dropTableIfExists(table);
  }
}

function plan(name: string, credits: number, watermark: boolean, voice: boolean, music: boolean, text: boolean, premium: boolean, custom: boolean) {
  return {
    name,
    monthly_credits: credits,
    watermark_required: watermark,
    allow_voice: voice,
    allow_music: music,
    allow_text: text,
    premium_narration: premium,
    custom_watermark: custom,
  };
}
