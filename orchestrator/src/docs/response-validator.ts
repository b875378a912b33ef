import type { Context, Next } from 'koa';
import { OPERATIONS, type Operation } from './operations.js';

export interface Violation {
  method: string;
  route: string;
  status: number;
  problem: string;
}

function find(method: string, route: string, service: 'orchestrator' | 'compositor'): Operation | undefined {
  const m = method.toLowerCase();
  return OPERATIONS.find((op) => (op.service === service || op.service === 'both') && op.path === route && (op.method === m || (m === 'head' && op.method === 'get')));
}

/**
 * Holds every JSON response to the documented shape of its route and status.
 * Used by the test harness: a response the document does not describe is a
 * recorded violation, and the harness fails the suite on close.
 */
export function responseValidator(violations: Violation[], service: 'orchestrator' | 'compositor' = 'orchestrator') {
  return async (ctx: Context, next: Next): Promise<void> => {
    await next();
    const route = (ctx as unknown as { _matchedRoute?: string })._matchedRoute;
    if (!route) return;
    const op = find(ctx.method, route, service);
    if (!op) return; // undocumented routes are caught by the coverage test
    const documented = op.responses[ctx.status];
    if (!documented) {
      violations.push({ method: ctx.method, route, status: ctx.status, problem: `status ${ctx.status} is not documented` });
      return;
    }
    const schema = documented.schema;
    if (!schema || schema === 'binary' || ctx.method === 'HEAD') return;
    const body: unknown = ctx.body;
    const isJson = body !== null && typeof body === 'object' && !Buffer.isBuffer(body) && typeof (body as { pipe?: unknown }).pipe !== 'function';
    if (!isJson) return; // streamed media on a route that also answers JSON
    const result = schema.safeParse(ctx.body);
    if (!result.success) {
      violations.push({ method: ctx.method, route, status: ctx.status, problem: result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
    }
  };
}
