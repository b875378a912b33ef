import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ComposeJobStatus, ComposeJobView, ComposeOutput, ComposeSpec } from '../../../shared/src/compose-spec.js';

export interface JobRecord {
  jobId: string;
  status: ComposeJobStatus;
  progress: number;
  spec: ComposeSpec;
  output?: ComposeOutput;
  compositeName?: string;
  error?: { code: string; message: string };
  createdAt: string;
  updatedAt: string;
  finishedAt?: string;
}

export const TERMINAL: ReadonlySet<ComposeJobStatus> = new Set(['completed', 'failed', 'canceled']);

export function toView(job: JobRecord): ComposeJobView {
  const view: ComposeJobView = { jobId: job.jobId, status: job.status, progress: Number(job.progress.toFixed(3)) };
  if (job.output) view.output = job.output;
  if (job.error) view.error = job.error;
  return view;
}

const JOB_FILE = /^[A-Za-z0-9_-]{16,64}\.json$/;

/**
 * Job state as one JSON file per job (written atomically via rename) plus an
 * in-memory index. Progress lives in memory; status changes are persisted.
 */
export class JobStore {
  private readonly jobs = new Map<string, JobRecord>();
  constructor(readonly dir: string) {}

  async load(): Promise<JobRecord[]> {
    await mkdir(this.dir, { recursive: true });
    for (const file of await readdir(this.dir)) {
      if (!JOB_FILE.test(file)) continue;
      try {
        const job = JSON.parse(await readFile(join(this.dir, file), 'utf8')) as JobRecord;
        this.jobs.set(job.jobId, job);
      } catch {
        // A torn or foreign file is not a job; leave it for the operator.
      }
    }
    return [...this.jobs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  get(jobId: string): JobRecord | undefined {
    return this.jobs.get(jobId);
  }

  all(): JobRecord[] {
    return [...this.jobs.values()];
  }

  async save(job: JobRecord): Promise<void> {
    job.updatedAt = new Date().toISOString();
    this.jobs.set(job.jobId, job);
    const file = join(this.dir, `${job.jobId}.json`);
    const temp = `${file}.${process.pid}.tmp`;
    await writeFile(temp, JSON.stringify(job), 'utf8');
    await rename(temp, file);
  }

  setProgress(jobId: string, progress: number): void {
    const job = this.jobs.get(jobId);
    if (job && !TERMINAL.has(job.status)) job.progress = Math.max(job.progress, progress);
  }

  async delete(jobId: string): Promise<void> {
    this.jobs.delete(jobId);
    await rm(join(this.dir, `${jobId}.json`), { force: true });
  }
}
