import type { Context } from 'koa';
import { Router } from '@koa/router';
import { AppError } from '../../../shared/src/errors.js';
import type { SharedReplayStore } from './replay-store.js';
import type { JobManager } from '../jobs/job-manager.js';
import { parseComposeSpec } from '../render/spec-checks.js';
import { signedBody } from './signed-body.js';
import { LIMITS } from '../../../shared/src/compose-spec.js';

export interface ComposeRouteDeps {
  jobs: JobManager;
  secret: string;
  replay: Pick<SharedReplayStore, 'remember'>;
  allowedOrigins: string[];
  publicUrl: () => string;
}

const JOB_ID = /^cmp_[a-f0-9]{32}$/;

function jobIdOf(ctx: Context): string {
  const id = String(ctx.params.jobId ?? '');
  if (!JOB_ID.test(id)) throw new AppError('not_found', 'No compose job with this id; it may have expired.');
  return id;
}

export function composeRoutes(deps: ComposeRouteDeps): Router {
  const router = new Router();
  const signed = signedBody({ secret: deps.secret, maxBytes: LIMITS.maxSpecBytes, replay: deps.replay });

  router.post('/compose', signed, async (ctx) => {
    let body: unknown;
    try {
      body = JSON.parse((ctx.state.rawBody as Buffer).toString('utf8'));
    } catch {
      throw new AppError('invalid_json', 'The body is not valid JSON; send the compose spec as a JSON object.');
    }
    const spec = parseComposeSpec(body, deps.allowedOrigins);
    const job = await deps.jobs.submit(spec);
    ctx.status = 202;
    // The job may already be running; the contract answers with the state it was accepted in.
    ctx.body = { jobId: job.jobId, status: 'queued', statusUrl: `${deps.publicUrl()}/compose/${job.jobId}` };
  });

  router.get('/compose/:jobId', (ctx) => {
    ctx.set('Cache-Control', 'no-store');
    ctx.body = deps.jobs.view(jobIdOf(ctx));
  });

  // The cancel's signed body names the job, so a signature can never be replayed against another job.
  const signedCancel = signedBody({ secret: deps.secret, maxBytes: 1024, replay: deps.replay });

  router.delete('/compose/:jobId', signedCancel, async (ctx) => {
    const jobId = jobIdOf(ctx);
    let named: unknown;
    try {
      named = (JSON.parse((ctx.state.rawBody as Buffer).toString('utf8')) as { jobId?: unknown }).jobId;
    } catch {
      named = undefined;
    }
    if (named !== jobId) throw new AppError('validation_failed', 'A cancel must carry the signed body {"jobId": "<the job in the path>"}.', { field: 'jobId' });
    ctx.body = await deps.jobs.cancel(jobId);
  });

  return router;
}
