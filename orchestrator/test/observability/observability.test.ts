import { expect } from 'chai';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Context } from 'koa';
import { metricsOf, recordProviderError } from '../../src/observability/metrics.js';
import { requestLogger } from '../../src/observability/request-logger.js';
import { dbKind, request, seedTenant, startTestOrchestrator, waitFor, type TestServer } from '../helpers/harness.js';

const VIDEO = '/api/v1/video';

/** Value of one sample in Prometheus text output, or undefined when absent. */
function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name + '{') && !line.startsWith(name + ' ')) continue;
    const m = /^([^{\s]+)(?:\{(.*)\})?\s+(\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) return Number(m[3]);
  }
  return undefined;
}

async function scrape(server: TestServer, token?: string): Promise<string> {
  const res = await request(server.url + '/metrics', { token });
  expect(res.status).to.equal(200);
  expect(res.headers.get('content-type')).to.match(/^text\/plain; version=0\.0\.4/);
  return res.body as string;
}

async function healthServer(status: number): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    res.statusCode = req.url === '/healthz' ? status : 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe(`observability (${dbKind})`, function () {
  this.timeout(120_000);
  let server: TestServer;
  afterEach(() => server?.close());

  it('/metrics counts requests by method, route pattern and status, never by raw path', async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' });
    const t = await seedTenant(server);
    await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Metrics test clip', duration: 5 } });
    await request(server.url + VIDEO, { token: t.readKey });
    await request(server.url + VIDEO, { token: t.readKey });
    await request(server.url + VIDEO);
    await request(server.url + VIDEO + '/vid_secretlookingid123');
    const text = await scrape(server);
    expect(sample(text, 'neariq_http_requests_total', { method: 'POST', route: VIDEO, status: '202' })).to.equal(1);
    expect(sample(text, 'neariq_http_requests_total', { method: 'GET', route: VIDEO, status: '200' })).to.equal(2);
    expect(sample(text, 'neariq_http_requests_total', { method: 'GET', route: VIDEO, status: '401' })).to.equal(1);
    expect(sample(text, 'neariq_http_requests_total', { method: 'GET', route: 'unmatched', status: '404' })).to.equal(1);
    expect(text).to.not.include('vid_secretlookingid123');
    expect(sample(text, 'neariq_http_request_duration_seconds_count', { method: 'GET', route: VIDEO, status: '200' })).to.equal(2);
    expect(text).to.include('# TYPE neariq_http_request_duration_seconds histogram');
    expect(text).to.include('neariq_process_cpu_user_seconds_total');
    // The scrape itself is counted on the next one.
    expect(sample(await scrape(server), 'neariq_http_requests_total', { method: 'GET', route: '/metrics', status: '200' })).to.equal(1);
  });

  it('credit gauges follow the ledger: held while processing, charged once completed', async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false' }); // the first job stays processing until the runner starts
    const t = await seedTenant(server);
    const before = await scrape(server);
    expect(sample(before, 'neariq_credits_held', { kind: 'generation' })).to.equal(0);
    expect(sample(before, 'neariq_credits_charged', { kind: 'generation' })).to.equal(0);

    const held = await request(server.url + VIDEO, { method: 'POST', token: t.writeKey, body: { prompt: 'Held credits clip', duration: 15 } });
    expect(held.status).to.equal(202);
    const during = await scrape(server);
    expect(sample(during, 'neariq_credits_held', { kind: 'generation' })).to.equal(2);
    expect(sample(during, 'neariq_credits_charged', { kind: 'generation' })).to.equal(0);

    server.handle.ctx.runner.start();
    await waitFor(async () => (await server.handle.ctx.videos.get(held.body.id))?.status === 'completed', 60_000);
    const after = await waitFor(async () => {
      const text = await scrape(server);
      return sample(text, 'neariq_generations_total', { outcome: 'completed' }) === 1 ? text : null;
    });
    expect(sample(after, 'neariq_credits_held', { kind: 'generation' })).to.equal(0);
    expect(sample(after, 'neariq_credits_charged', { kind: 'generation' })).to.equal(2);
  });

  it('recordProviderError counts against the runner it is given; /metrics can require a token', async () => {
    server = await startTestOrchestrator({ METRICS_TOKEN: 'scrape-me' });
    recordProviderError(server.handle.ctx.runner, { provider: 'replicate', stage: 'poll' });
    recordProviderError(server.handle.ctx.runner, { provider: 'replicate', stage: 'poll' });
    recordProviderError({}, { provider: 'replicate' }); // unknown owner: ignored, never throws
    expect(metricsOf(server.handle.ctx)).to.equal(metricsOf(server.handle.ctx.runner));
    const denied = await request(server.url + '/metrics');
    expect(denied.status).to.equal(401);
    expect(denied.body.error.code).to.equal('unauthorized');
    expect((await request(server.url + '/metrics', { token: 'wrong' })).status).to.equal(401);
    expect(sample(await scrape(server, 'scrape-me'), 'neariq_provider_errors_total', { provider: 'replicate', stage: 'poll' })).to.equal(2);
  });

  it('two orchestrators in one process keep separate registries', async () => {
    server = await startTestOrchestrator();
    const other = await startTestOrchestrator();
    try {
      await request(other.url + '/healthz');
      await request(other.url + '/healthz');
      expect(sample(await scrape(other), 'neariq_http_requests_total', { route: '/healthz' })).to.equal(2);
      expect(sample(await scrape(server), 'neariq_http_requests_total', { route: '/healthz' })).to.equal(undefined);
    } finally {
      await other.close();
    }
  });

  it('/readyz/full reports database, ffmpeg and every compositor; 503 when no worker answers', async () => {
    const up = await healthServer(200);
    const down = await healthServer(500);
    try {
      server = await startTestOrchestrator({ COMPOSITOR_URL: `${up.url},${down.url}` });
      const degraded = await request(server.url + '/readyz/full');
      expect(degraded.status).to.equal(200);
      expect(degraded.body.status).to.equal('degraded');
      expect(degraded.body.checks.database.status).to.equal('ok');
      expect(degraded.body.checks.ffmpeg.status).to.equal('ok');
      expect(degraded.body.checks.compositors).to.have.length(2);
      expect(degraded.body.checks.compositors[0]).to.include({ url: up.url, status: 'ok' });
      expect(degraded.body.checks.compositors[1]).to.include({ url: down.url, status: 'unavailable', error: 'HTTP 500' });
      await server.close();

      server = await startTestOrchestrator({ COMPOSITOR_URL: up.url });
      const ready = await request(server.url + '/readyz/full');
      expect(ready.status).to.equal(200);
      expect(ready.body.status).to.equal('ready');
      await server.close();

      server = await startTestOrchestrator({ COMPOSITOR_URL: `${down.url},http://127.0.0.1:9`, READY_TIMEOUT_MS: '500' });
      const notReady = await request(server.url + '/readyz/full');
      expect(notReady.status).to.equal(503);
      expect(notReady.body.error).to.include({ code: 'unavailable' });
      expect(notReady.body.error.message).to.match(/no compositor worker answers/);
      expect(notReady.body.checks.compositors[1].status).to.equal('unavailable');
    } finally {
      await up.close();
      await down.close();
    }
  });

  it('requestLogger puts a child logger carrying the request id on ctx.state', async () => {
    const lines: string[] = [];
    const { pino } = await import('pino');
    const logger = pino({ level: 'info' }, { write: (s: string) => lines.push(s) });
    const ctx = { state: { requestId: 'req-123' } } as unknown as Context;
    await requestLogger(logger)(ctx, async () => {
      (ctx.state.logger as typeof logger).info('inside a handler');
    });
    expect(JSON.parse(lines[0])).to.include({ requestId: 'req-123', msg: 'inside a handler' });
  });
});
