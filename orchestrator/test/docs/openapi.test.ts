import { expect } from 'chai';
import Koa from 'koa';
import Router from '@koa/router';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { z } from 'zod';
import { loadCompositorConfig } from '../../../compositor/src/config.js';
import { startCompositor } from '../../../compositor/src/server.js';
import { createLogger } from '../../../shared/src/logger.js';
import { OPERATIONS } from '../../src/docs/operations.js';
import { errorBody } from '../../src/docs/schemas.js';
import { openApiPath } from '../../src/docs/openapi.js';
import { responseValidator, type Violation } from '../../src/docs/response-validator.js';
import { request, startTestOrchestrator, type TestServer } from '../helpers/harness.js';

describe('OpenAPI document', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
  });
  after(() => server.close());

  const documentedFor = (service: 'orchestrator' | 'compositor') =>
    OPERATIONS.filter((op) => op.service === service || op.service === 'both').map((op) => `${op.method.toUpperCase()} ${op.path}`).sort();

  it('documents every orchestrator route that exists, and nothing that does not', () => {
    const live = server.handle.routes.map((r) => `${r.method} ${r.path}`).sort();
    const documented = documentedFor('orchestrator');
    expect(live.filter((r) => !documented.includes(r)), 'routes without documentation').to.deep.equal([]);
    expect(documented.filter((d) => !live.includes(d)), 'documented routes that do not exist').to.deep.equal([]);
  });

  it('documents every compositor route that exists, and nothing that does not', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nq-doc-comp-'));
    const compositor = await startCompositor(
      loadCompositorConfig({ DATA_DIR: dataDir, COMPOSITOR_PORT: '0', COMPOSITOR_HOST: '127.0.0.1', COMPOSITOR_SECRET: 'x'.repeat(32) }),
      createLogger('doc-test', 'silent'),
    );
    try {
      const live = compositor.routes.map((r) => `${r.method} ${r.path}`).sort();
      const documented = documentedFor('compositor');
      expect(live.filter((r) => !documented.includes(r)), 'routes without documentation').to.deep.equal([]);
      expect(documented.filter((d) => !live.includes(d)), 'documented routes that do not exist').to.deep.equal([]);
      // Documented shapes match what the compositor answers.
      const health = await fetch(`${compositor.url}/healthz`).then((r) => r.json());
      const healthOp = OPERATIONS.find((op) => op.path === '/healthz')!;
      expect((healthOp.responses[200].schema as z.ZodType).safeParse(health).success).to.equal(true);
      const missing = await fetch(`${compositor.url}/compose/cmp_nope`).then((r) => r.json());
      expect(errorBody.safeParse(missing).success).to.equal(true);
    } finally {
      await compositor.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves a valid-looking OpenAPI 3.1 document and a reference page', async () => {
    const res = await request(server.url + '/api/openapi.json');
    expect(res.status).to.equal(200);
    expect(res.body.openapi).to.equal('3.1.0');
    const post = res.body.paths['/api/v1/video'].post;
    expect(post.requestBody.content['application/json'].schema.properties.prompt.type).to.equal('string');
    expect(Object.keys(post.responses)).to.include.members(['202', '400', '401', '403', '429', '503']);
    for (const op of OPERATIONS) expect(res.body.paths[openApiPath(op.path)][op.method], `${op.method} ${op.path}`).to.be.an('object');
    const ids = Object.values(res.body.paths as Record<string, Record<string, { operationId: string }>>).flatMap((m) => Object.values(m).map((o) => o.operationId));
    expect(new Set(ids).size).to.equal(ids.length);
    const page = await fetch(server.url + '/api/docs');
    expect(page.headers.get('content-type')).to.match(/text\/html/);
    expect(await page.text()).to.include('POST /api/v1/video');
  });

  it('the response validator records a body that does not match its documented shape', async () => {
    const violations: Violation[] = [];
    const app = new Koa();
    const router = new Router();
    router.get('/api/v1/video', (ctx) => {
      ctx.body = { videos: [], creditsUsed: 'lots' };
    });
    app.use(responseValidator(violations));
    app.use(router.routes());
    const srv = app.listen(0);
    try {
      const port = (srv.address() as { port: number }).port;
      await fetch(`http://127.0.0.1:${port}/api/v1/video`);
      expect(violations).to.have.length(1);
      expect(violations[0].problem).to.match(/creditsUsed/);
    } finally {
      srv.close();
    }
  });
});
