import type { Knex } from 'knex';

/**
 * Composite jobs (single-source commercials and multi-clip stitches). The
 * job token is stored only as a sha256 hash; `lease_*` lets one background
 * poller among several replicas advance a row at a time.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('composites', (t) => {
    t.increments('seq').primary();
    t.string('id', 40).notNullable().unique();
    t.string('business_id', 40).notNullable().references('businesses.id');
    t.string('user_id', 40).nullable();
    t.string('kind', 10).notNullable(); // single | clips
    t.text('video_ids').notNullable(); // JSON array
    t.string('token_hash', 64).notNullable().unique();
    t.string('status', 16).notNullable(); // processing | completed | failed
    t.integer('duration').notNullable();
    t.string('aspect_ratio', 8).notNullable();
    t.float('tolerance_sec').notNullable();
    t.text('details').notNullable(); // JSON: dropped, notes
    t.text('worker_url').nullable();
    t.string('compositor_job_id', 80).nullable();
    t.text('output').nullable(); // JSON: url, durationSec, width, height, sizeBytes
    t.string('error_code', 40).nullable();
    t.text('error_message').nullable();
    t.bigInteger('unreachable_since').nullable(); // epoch ms of the first failed poll in a row
    t.integer('unreachable_count').notNullable().defaultTo(0);
    t.string('lease_owner', 60).nullable();
    t.bigInteger('lease_until').nullable(); // epoch ms
    t.string('created_at', 30).notNullable();
    t.string('updated_at', 30).notNullable();
    t.string('completed_at', 30).nullable();
    t.index(['status', 'lease_until'], 'cmp_status_lease');
    t.index(['business_id', 'seq'], 'cmp_business_seq');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('composites');
}
