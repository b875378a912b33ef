import type { Knex } from 'knex';

/**
 * Webhooks: one endpoint per business, and an outbox of deliveries. Each
 * delivery carries its event id (`evt_…`, unique: receivers dedupe on it)
 * and the exact JSON body, so every retry sends the same bytes. `lease_*`
 * lets one deliverer among several replicas own an attempt at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('webhooks', (t) => {
    t.string('id', 40).primary();
    t.string('business_id', 40).notNullable().unique().references('businesses.id');
    t.text('url').notNullable();
    t.string('secret', 80).notNullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
  });
  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.increments('seq').primary();
    t.string('id', 40).notNullable().unique(); // evt_…
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('event_type', 40).notNullable();
    t.text('payload').notNullable(); // the JSON body, byte for byte
    t.string('status', 16).notNullable(); // pending | delivered | failed | canceled
    t.integer('attempts').notNullable().defaultTo(0);
    t.bigInteger('next_attempt_at').notNullable(); // epoch ms
    t.string('lease_owner', 60).nullable();
    t.bigInteger('lease_until').nullable(); // epoch ms
    t.integer('last_status_code').nullable();
    t.text('last_error').nullable();
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('delivered_at', 30).nullable();
    t.index(['status', 'next_attempt_at'], 'whd_status_next');
    t.index(['business_id', 'seq'], 'whd_business_seq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('webhook_deliveries');
  await knex.schema.dropTableIfExists('webhooks');
}
