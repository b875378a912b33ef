import type { Knex } from 'knex';
import * as m001 from './001-init.js';
import * as m002 from './002-composites.js';
import * as m003 from './003-webhooks.js';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Migrations compiled into the code (no file globbing), in order. Append new ones here. */
const MIGRATIONS: Array<[string, Migration]> = [
  ['001-init', m001],
  ['002-composites', m002],
  ['003-webhooks', m003],
];

export const migrationSource: Knex.MigrationSource<Migration> = {
  getMigrations: async () => MIGRATIONS.map(([, m]) => m),
  getMigrationName: (m) => MIGRATIONS.find(([, x]) => x === m)![0],
  getMigration: async (m) => m,
};
