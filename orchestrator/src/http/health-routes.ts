import type Router from '@koa/router';
import type { Db } from '../db/connect.js';

/** Liveness (process up) and readiness (database answers). */
export function registerHealthRoutes(router: Router, deps: { db: Db }): void {
  router.get('/healthz', (ctx) => {
    ctx.body = { status: 'ok' };
  });
  router.get('/readyz', async (ctx) => {
    const checks: Record<string, string> = {};
    try {
      await deps.db.raw('select 1');
      checks.database = 'ok';
    } catch {
      checks.database = 'unavailable';
    }
    const ready = Object.values(checks).every((c) => c === 'ok');
    ctx.status = ready ? 200 : 503;
    ctx.body = ready ? { status: 'ready', checks } : { error: { code: 'unavailable', message: 'Not ready: the database does not answer.' }, checks };
  });
}
