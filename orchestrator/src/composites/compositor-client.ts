import { signBody } from '../../../shared/src/signing.js';
import type { ComposeJobView, ComposeSpecInput } from '../../../shared/src/compose-spec.js';
import { randomUUID } from 'node:crypto';

/** What a submit ended as; nothing here throws for a worker that is down or refuses. */
export type SubmitOutcome =
  | { kind: 'accepted'; workerUrl: string; jobId: string }
  /** The spec itself was refused (4xx): a bug on our side, retrying elsewhere would not help. */
  | { kind: 'rejected'; workerUrl: string; status: number; message: string }
  /** No worker took it: every one refused the connection, timed out or answered 5xx. */
  | { kind: 'unavailable'; message: string };

export type StatusOutcome =
  | { kind: 'view'; view: ComposeJobView }
  /** The worker answered but does not know the job (e.g. its state was lost). */
  | { kind: 'unknown_job'; message: string }
  | { kind: 'unreachable'; message: string };

export interface CompositorClientOptions {
  workerUrls: string[];
  secret: string;
  submitTimeoutMs?: number;
  statusTimeoutMs?: number;
  fetchImpl?: typeof fetch;
}

/**
 * The orchestrator's only HTTP client of the compositor. Submits go to the
 * workers round-robin, skipping ones that refuse; a job's status and cancel
 * go to the worker that took it (workers do not share job state).
 */
export class CompositorClient {
  private next = 0;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly options: CompositorClientOptions) {
    if (options.workerUrls.length === 0) throw new Error('CompositorClient needs at least one worker URL (COMPOSITOR_URL).');
    this.fetchImpl = options.fetchImpl ?? fetch;
  }

  async submit(spec: ComposeSpecInput): Promise<SubmitOutcome> {
    const raw = JSON.stringify(spec);
    const urls = this.options.workerUrls;
    const start = this.next++ % urls.length;
    const problems: string[] = [];
    for (let i = 0; i < urls.length; i++) {
      const workerUrl = urls[(start + i) % urls.length];
      try {
        const res = await this.fetchImpl(`${workerUrl}/compose`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...signBody(this.options.secret, raw) },
          body: raw,
          signal: AbortSignal.timeout(this.options.submitTimeoutMs ?? 10_000),
        });
        const body = await readJson(res);
        if (res.status === 202 && typeof body?.jobId === 'string') return { kind: 'accepted', workerUrl, jobId: body.jobId };
        if (res.status >= 400 && res.status < 500) {
          return { kind: 'rejected', workerUrl, status: res.status, message: errorMessage(body) ?? `HTTP ${res.status}` };
        }
        problems.push(`${workerUrl} answered HTTP ${res.status}`);
      } catch (err) {
        problems.push(`${workerUrl}: ${describeFetchError(err)}`);
      }
    }
    return { kind: 'unavailable', message: problems.join('; ') };
  }

  async status(workerUrl: string, jobId: string): Promise<StatusOutcome> {
    try {
      const res = await this.fetchImpl(`${workerUrl}/compose/${encodeURIComponent(jobId)}`, {
        signal: AbortSignal.timeout(this.options.statusTimeoutMs ?? 5000),
      });
      const body = await readJson(res);
      if (res.status === 200 && body && typeof body.status === 'string') return { kind: 'view', view: body as unknown as ComposeJobView };
      if (res.status === 404) return { kind: 'unknown_job', message: errorMessage(body) ?? 'the compositor does not know this job' };
      return { kind: 'unreachable', message: `${workerUrl} answered HTTP ${res.status}` };
    } catch (err) {
      return { kind: 'unreachable', message: `${workerUrl}: ${describeFetchError(err)}` };
    }
  }

  /** Best effort: true when the worker confirmed the cancel. */
  async cancel(workerUrl: string, jobId: string): Promise<boolean> {
    try {
      // The signed body names the job, so the signature is bound to it; the nonce makes each call's signature new.
      const body = JSON.stringify({ jobId, nonce: randomUUID() });
      const res = await this.fetchImpl(`${workerUrl}/compose/${encodeURIComponent(jobId)}`, {
        method: 'DELETE',
        body,
        headers: { 'content-type': 'application/json', ...signBody(this.options.secret, body) },
        signal: AbortSignal.timeout(this.options.statusTimeoutMs ?? 5000),
      });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }
}

/** A loosely typed JSON object from the wire; fields are checked where read. */
type Json = { [key: string]: unknown };

async function readJson(res: Response): Promise<Json | null> {
  try {
    const text = await res.text();
    return text ? (JSON.parse(text) as Json) : null;
  } catch {
    return null;
  }
}

function errorMessage(body: Json | null): string | undefined {
  const m = (body?.error as Json | undefined)?.message;
  return typeof m === 'string' ? m : undefined;
}

function describeFetchError(err: unknown): string {
  const e = err as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return 'timed out';
  return e?.cause?.code ?? e?.cause?.message ?? e?.message ?? 'request failed';
}
