import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { verifyBodySignature } from '../../../shared/src/signing.js';
import { composeSpecSchema, type ComposeJobView, type ComposeSpec } from '../../../shared/src/compose-spec.js';

export type FakeBehaviour = 'hang' | 'complete' | 'fail' | 'refuse';

interface FakeJob {
  view: ComposeJobView;
  spec: ComposeSpec;
}

export interface FakeCompositor {
  url: string;
  jobs: Map<string, FakeJob>;
  /** Every request: method, path, and whether its signature checked out (null = unsigned route). */
  requests: Array<{ method: string; path: string; signatureOk: boolean | null }>;
  setBehaviour(b: FakeBehaviour): void;
  /** Finishes every open job as the behaviour says (complete or fail). */
  finishAll(outcome: 'completed' | 'failed', durationSec?: number): void;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A compositor speaking the real protocol (signed POST/DELETE, job views), driven by the test. */
export async function startFakeCompositor(input: { secret: string; behaviour?: FakeBehaviour }): Promise<FakeCompositor> {
  let behaviour: FakeBehaviour = input.behaviour ?? 'hang';
  const jobs = new Map<string, FakeJob>();
  const requests: FakeCompositor['requests'] = [];
  const seen = new Set<string>(); // signatures already used (replays are refused)
  let base = '';

  const server: Server = createServer(async (req, res) => {
    const raw = await readBody(req);
    const path = (req.url ?? '').split('?')[0];
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const signed = req.method === 'POST' || req.method === 'DELETE';
    let ok: boolean | null = null;
    if (signed) {
      const check = verifyBodySignature({ secret: input.secret, rawBody: raw, timestamp: req.headers['x-timestamp'] as string, signature: req.headers['x-signature'] as string });
      ok = check.ok && !seen.has(check.signature);
      if (check.ok) seen.add(check.signature);
    }
    requests.push({ method: req.method ?? '', path, signatureOk: ok });
    if (signed && !ok) return send(401, { error: { code: 'invalid_signature', message: 'bad signature' } });

    if (req.method === 'POST' && path === '/compose') {
      if (behaviour === 'refuse') return send(503, { error: { code: 'unavailable', message: 'busy' } });
      const parsed = composeSpecSchema.safeParse(JSON.parse(raw.toString('utf8')));
      if (!parsed.success) return send(400, { error: { code: 'validation_failed', message: parsed.error.issues[0].message } });
      const jobId = `cmp_${randomBytes(16).toString('hex')}`;
      jobs.set(jobId, { spec: parsed.data, view: { jobId, status: 'queued', progress: 0 } });
      if (behaviour === 'complete') finish(jobId, 'completed');
      if (behaviour === 'fail') finish(jobId, 'failed');
      return send(202, { jobId, status: 'queued', statusUrl: `${base}/compose/${jobId}` });
    }
    const m = /^\/compose\/([^/]+)$/.exec(path);
    const job = m ? jobs.get(m[1]) : undefined;
    if (!job) return send(404, { error: { code: 'not_found', message: 'No compose job with this id.' } });
    if (req.method === 'GET') {
      if (job.view.status === 'queued') job.view = { ...job.view, status: 'processing', progress: 0.3 };
      return send(200, job.view);
    }
    if (req.method === 'DELETE') {
      job.view = { ...job.view, status: 'canceled', error: { code: 'canceled', message: 'The job was canceled.' } };
      return send(200, job.view);
    }
    send(405, { error: { code: 'method_not_allowed', message: 'no' } });
  });

  function finish(jobId: string, outcome: 'completed' | 'failed', durationSec?: number) {
    const job = jobs.get(jobId)!;
    const { spec } = job;
    if (outcome === 'completed') {
      job.view = {
        jobId,
        status: 'completed',
        progress: 1,
        output: { url: `${base}/composites/${jobId}.mp4`, durationSec: durationSec ?? spec.output.durationSec, width: spec.output.width ?? 1920, height: spec.output.height ?? 1080, sizeBytes: 1234 },
      };
    } else {
      job.view = { jobId, status: 'failed', progress: 0.5, error: { code: 'render_failed', message: 'ffmpeg exited with code 1 while encoding.' } };
    }
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    jobs,
    requests,
    setBehaviour: (b) => {
      behaviour = b;
    },
    finishAll: (outcome, durationSec) => {
      for (const [id, j] of jobs) if (j.view.status === 'queued' || j.view.status === 'processing') finish(id, outcome, durationSec);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
