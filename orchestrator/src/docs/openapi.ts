import { z } from 'zod';
import { OPERATIONS, type Auth, type Operation } from './operations.js';

const SECURITY: Record<Exclude<Auth, 'none'>, Array<Record<string, string[]>>> = {
  apiKey: [{ bearerApiKey: [] }, { headerApiKey: [] }],
  session: [{ sessionBearer: [] }, { sessionCookie: [] }],
  signature: [{ requestSignature: [] }],
  signedUrl: [{ signedUrl: [] }],
};

export function openApiPath(koaPath: string): string {
  return koaPath.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const doc = z.toJSONSchema(schema, { io, unrepresentable: 'any', reused: 'inline' }) as Record<string, unknown>;
  delete doc.$schema;
  return doc;
}

function operationObject(op: Operation, orchestratorUrl: string, compositorUrl: string): Record<string, unknown> {
  const params = [...op.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  const query = Object.entries(op.query ?? {}).map(([name, q]) => ({ name, in: 'query', required: false, description: q.description, schema: q.schema }));
  const responses = Object.fromEntries(
    Object.entries(op.responses).map(([status, r]) => {
      if (!r.schema) return [status, { description: r.description }];
      if (r.schema === 'binary') return [status, { description: r.description, content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }];
      return [status, { description: r.description, content: { 'application/json': { schema: jsonSchema(r.schema, 'output') } } }];
    }),
  );
  return {
    summary: op.summary,
    tags: [op.tag],
    operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
    ...(op.service === 'compositor' ? { servers: [{ url: compositorUrl, description: 'compositor worker' }] } : {}),
    ...(op.service === 'both' ? { servers: [{ url: orchestratorUrl, description: 'orchestrator' }, { url: compositorUrl, description: 'compositor worker' }] } : {}),
    ...(op.auth !== 'none' ? { security: SECURITY[op.auth] } : { security: [] }),
    ...(params.length || query.length ? { parameters: [...params, ...query] } : {}),
    ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } } : {}),
    responses,
  };
}

/** The OpenAPI 3.1 document of both services, generated from the operation list and its zod schemas. */
export function buildOpenApi(input: { orchestratorUrl: string; compositorUrl: string; operations?: Operation[] }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of input.operations ?? OPERATIONS) {
    const key = openApiPath(op.path);
    paths[key] ??= {};
    paths[key][op.method] = operationObject(op, input.orchestratorUrl, input.compositorUrl);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'neariq-video API',
      version: '1.0.0',
      description:
        'Generate short AI videos, turn them into finished commercials and bill them against monthly video credits. Every error has the body {"error": {"code", "message", "field"?}}.',
    },
    servers: [{ url: input.orchestratorUrl, description: 'orchestrator' }],
    components: {
      securitySchemes: {
        bearerApiKey: { type: 'http', scheme: 'bearer', description: 'API key (nq_live_…) with scopes content:read / content:write.' },
        headerApiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        sessionBearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description: 'Dashboard session: HS256 JWT with sub, businessId, exp.' },
        sessionCookie: { type: 'apiKey', in: 'cookie', name: 'neariq_session' },
        requestSignature: {
          type: 'apiKey',
          in: 'header',
          name: 'X-Signature',
          description: 'v1=<hex HMAC-SHA256(COMPOSITOR_SECRET, "<X-Timestamp>.<raw body>")>; X-Timestamp in Unix seconds; 5-minute window; replays refused.',
        },
        signedUrl: { type: 'apiKey', in: 'query', name: 'sig', description: 'Short-lived signed URL: exp (Unix seconds) and sig (hex HMAC of "<path>\\n<exp>").' },
      },
    },
    paths,
  };
}

/** A readable reference page (no external assets: it works offline). */
export function referencePage(doc: Record<string, unknown>): string {
  const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows: string[] = [];
  for (const [path, methods] of Object.entries(doc.paths as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [method, op] of Object.entries(methods)) {
      const responses = Object.keys(op.responses as object).join(', ');
      const body = op.requestBody ? `<details><summary>request body</summary><pre>${esc(JSON.stringify((op.requestBody as { content: { 'application/json': { schema: unknown } } }).content['application/json'].schema, null, 2))}</pre></details>` : '';
      rows.push(`<section><h3><code>${method.toUpperCase()} ${esc(path)}</code></h3><p>${esc(String(op.summary))}</p><p>responses: ${esc(responses)}</p>${body}</section>`);
    }
  }
  return `<!doctype html><html><head><meta charset="utf-8"><title>neariq-video API</title><style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}code{background:#f3f3f3;padding:0 .3rem}section{border-top:1px solid #ddd;padding:.5rem 0}pre{background:#f7f7f7;padding:.5rem;overflow:auto}</style></head><body><h1>neariq-video API</h1><p>${esc(String((doc.info as { description: string }).description))}</p><p>Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a></p>${rows.join('\n')}</body></html>`;
}
