import knexFactory, { type Knex } from 'knex';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { migrationSource } from './migrations/index.js';

export type Db = Knex;

export interface DbOptions {
  dataDir: string;
  databaseUrl?: string;
  /** PostgreSQL schema to use (created when missing); lets test runs and tenants stay apart. */
  databaseSchema?: string;
}

export function isPostgres(db: Db): boolean {
  return db.client.config.client === 'pg';
}

/**
 * SQLite runs in WAL mode with a busy timeout so several processes can share
 * the file; one connection per process keeps transactions serial inside it.
 */
export function connectDb(options: DbOptions): Db {
  if (options.databaseUrl) {
    const schema = options.databaseSchema;
    return knexFactory({
      client: 'pg',
      connection: options.databaseUrl,
      searchPath: schema ? [schema] : undefined,
      pool: {
        min: 0,
        max: 10,
        afterCreate: (conn: { query: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
          if (!schema) return done(null, conn);
          conn.query(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`, (err) => done(err, conn));
        },
      },
    });
  }
  mkdirSync(options.dataDir, { recursive: true });
  return knexFactory({
    client: 'sqlite3',
    connection: { filename: join(options.dataDir, 'neariq.sqlite') },
    useNullAsDefault: true,
    pool: {
      min: 1,
      max: 1,
      afterCreate: (conn: { run: (sql: string, cb: (err: Error | null) => void) => void }, done: (err: Error | null, conn: unknown) => void) => {
        conn.run('PRAGMA journal_mode = WAL', (e1) => {
          if (e1) return done(e1, conn);
          conn.run('PRAGMA busy_timeout = 10000', (e2) => {
            if (e2) return done(e2, conn);
            conn.run('PRAGMA foreign_keys = ON', (e3) => done(e3, conn));
          });
        });
      },
    },
  });
}

export async function migrate(db: Db): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
