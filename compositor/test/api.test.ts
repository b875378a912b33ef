import { expect } from 'chai';
import { mkdir, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { composeSpecSchema } from '../../shared/src/compose-spec.js';
import { signBody } from '../../shared/src/signing.js';
import { startFixtureServer } from './helpers/fixture-server.js';
import { renderViaApi, SECRET, startHarness, type Harness } from './helpers/compositor-harness.js';

describe('compositor HTTP API', function () {
  this.timeout(120_000);
  let fixtures: Awaited<ReturnType<typeof startFixtureServer>>;
  let h: Harness;
  const small = () => ({
    output: { aspect: '16:9' as const, durationSec: 2, width: 160, height: 90 },
    segments: [{ url: fixtures.url('media/red-4x3.mp4') }],
  });

  before(async () => {
    fixtures = await startFixtureServer();
    h = await startHarness({ allowedOrigins: [fixtures.origin] });
  });
  after(async () => {
    await h.stop();
    await fixtures.close();
  });

  describe('signing', () => {
    it('refuses a missing signature with 401 in the shared error shape', async () => {
      const res = await fetch(`${h.compositor.url}/compose`, { method: 'POST', body: JSON.stringify(small()) });
      expect(res.status).to.equal(401);
      expect(await res.json()).to.deep.equal({ error: { code: 'invalid_signature', message: 'X-Timestamp is missing or not Unix seconds.' } });
    });

    it('refuses a signature over a different body', async () => {
      const headers = signBody(SECRET, '{"other":true}');
      const res = await fetch(`${h.compositor.url}/compose`, { method: 'POST', body: JSON.stringify(small()), headers });
      expect(res.status).to.equal(401);
    });

    it('refuses a stale timestamp', async () => {
      const raw = JSON.stringify(small());
      const headers = signBody(SECRET, raw, Math.floor(Date.now() / 1000) - 600);
      const res = await fetch(`${h.compositor.url}/compose`, { method: 'POST', body: raw, headers });
      expect(res.status).to.equal(401);
      expect(((await res.json()) as { error: { message: string } }).error.message).to.match(/outside the allowed window/);
    });

    it('refuses a replayed signature even when the first request failed validation', async () => {
      const raw = JSON.stringify({ output: {} });
      const headers = signBody(SECRET, raw);
      const first = await fetch(`${h.compositor.url}/compose`, { method: 'POST', body: raw, headers });
      expect(first.status).to.equal(400);
      const second = await fetch(`${h.compositor.url}/compose`, { method: 'POST', body: raw, headers });
      expect(second.status).to.equal(401);
      expect(((await second.json()) as { error: { message: string } }).error.message).to.match(/already used/);
    });

    it('binds a cancel signature to its job: same-second cancels of two jobs pass, a cancel aimed at another job or replayed does not', async () => {
      const ids = [`cmp_${'3'.repeat(32)}`, `cmp_${'4'.repeat(32)}`];
      const now = Math.floor(Date.now() / 1000);
      for (const id of ids) {
        const body = JSON.stringify({ jobId: id });
        const res = await fetch(`${h.compositor.url}/compose/${id}`, { method: 'DELETE', body, headers: signBody(SECRET, body, now) });
        expect(res.status, id).to.equal(404); // signature accepted; no such job
      }
      const body = JSON.stringify({ jobId: ids[0] });
      const headers = signBody(SECRET, body, now);
      const replayed = await fetch(`${h.compositor.url}/compose/${ids[0]}`, { method: 'DELETE', body, headers });
      expect(replayed.status).to.equal(401);
      const aimed = JSON.stringify({ jobId: ids[0] });
      const elsewhere = await fetch(`${h.compositor.url}/compose/${ids[1]}`, { method: 'DELETE', body: aimed, headers: signBody(SECRET, aimed, now - 1) });
      expect(elsewhere.status).to.equal(400);
      expect(((await elsewhere.json()) as { error: { field: string } }).error.field).to.equal('jobId');
      const empty = await fetch(`${h.compositor.url}/compose/${ids[1]}`, { method: 'DELETE', body: '', headers: signBody(SECRET, '', now - 2) });
      expect(empty.status).to.equal(400);
    });

    it('requires a signature to cancel', async () => {
      const res = await fetch(`${h.compositor.url}/compose/cmp_${'0'.repeat(32)}`, { method: 'DELETE' });
      expect(res.status).to.equal(401);
    });
  });

  describe('validation', () => {
    const expectField = async (spec: unknown, field: string, message: RegExp, status = 400) => {
      const res = await h.post(spec);
      expect(res.status).to.equal(status);
      const body = (await res.json()) as { error: { code: string; field?: string; message: string } };
      if (status === 400) expect(body.error).to.include({ code: 'validation_failed', field });
      expect(body.error.message).to.match(message);
    };

    it('names the field of a schema problem', () => expectField({ ...small(), output: { aspect: '4:3', durationSec: 5 } }, 'output.aspect', /must be one of 16:9, 9:16, 1:1/));
    it('refuses negative times', () => expectField({ ...small(), segments: [{ url: fixtures.url('a.mp4'), startSec: -1 }] }, 'segments.0.startSec', /must not be negative/));
    it('refuses absurd durations', () => expectField({ ...small(), output: { aspect: '16:9', durationSec: 100000 } }, 'output.durationSec', /at most 120/));
    it('refuses too many segments', () =>
      expectField({ ...small(), segments: Array.from({ length: 21 }, () => ({ url: fixtures.url('a.mp4') })) }, 'segments', /at most 20 segments/));
    it('refuses odd frame sizes', () => expectField({ ...small(), output: { aspect: '16:9', durationSec: 2, width: 161, height: 90 } }, 'output.width', /even/));
    it('refuses sources outside the allowed origins at submit', () =>
      expectField({ ...small(), segments: [{ url: 'http://169.254.169.254/latest/meta-data' }] }, 'segments.0.url', /allowed source origin/));
    it('refuses a music URL outside the allowed origins', () =>
      expectField({ ...small(), audio: { music: { url: 'https://evil.example/x.m4a' } } }, 'audio.music.url', /allowed source origin/));
    it('refuses invalid JSON', async () => {
      const res = await h.post('{nope');
      expect(res.status).to.equal(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('invalid_json');
    });
    it('refuses an oversized spec with 413 before parsing it', async () => {
      const res = await h.post(JSON.stringify({ ...small(), reference: 'x'.repeat(300 * 1024) }));
      expect(res.status).to.equal(413);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('payload_too_large');
    });
  });

  describe('jobs', () => {
    it('accepts a signed spec with 202, an absolute status URL, and completes it', async () => {
      const res = await h.post(small());
      expect(res.status).to.equal(202);
      const body = (await res.json()) as { jobId: string; status: string; statusUrl: string };
      expect(body.status).to.equal('queued');
      expect(body.jobId).to.match(/^cmp_[a-f0-9]{32}$/);
      expect(body.statusUrl).to.equal(`${h.compositor.url}/compose/${body.jobId}`);
      const view = await h.waitFor(body.jobId);
      expect(view.status).to.equal('completed');
      expect(view.progress).to.equal(1);
      expect(view.output).to.include({ width: 160, height: 90 });
      expect(view.output?.durationSec).to.be.closeTo(2, 0.1);
      expect(view.output?.url).to.match(new RegExp(`^${h.compositor.url}/composites/[a-f0-9]{32}\\.mp4$`));
    });

    it('answers a wrong method with 405 in the shared error shape', async () => {
      const res = await fetch(`${h.compositor.url}/compose`, { method: 'PUT', body: '{}' });
      expect(res.status).to.equal(405);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('method_not_allowed');
    });

    it('answers 404 for an unknown job', async () => {
      const res = await fetch(`${h.compositor.url}/compose/cmp_${'a'.repeat(32)}`);
      expect(res.status).to.equal(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    });

    it('fails a job whose source is unreachable, with a clear error', async () => {
      const view = await renderViaApi(h, { ...small(), segments: [{ url: fixtures.url('media/missing.mp4') }] });
      expect(view.status).to.equal('failed');
      expect(view.error?.code).to.equal('source_unavailable');
      expect(view.error?.message).to.match(/media\/missing\.mp4 answered HTTP 404/);
      expect(await readdir(join(h.config.stateDir, 'work'))).to.deep.equal([]);
    });

    it('fails a job whose source redirects to a non-allowed origin', async () => {
      const view = await renderViaApi(h, { ...small(), segments: [{ url: fixtures.url('redirect-away') }] });
      expect(view.status).to.equal('failed');
      expect(view.error?.message).to.match(/not an allowed source origin/);
    });

    it('fails a job whose source is not a video', async () => {
      const view = await renderViaApi(h, { ...small(), segments: [{ url: fixtures.url('fonts/LICENSE-DejaVu.txt') }] });
      expect(view.status).to.equal('failed');
      expect(view.error?.message).to.match(/segments\.0\.url is not a video/);
    });

    it('runs at most COMPOSITOR_CONCURRENCY jobs at once and queues the rest', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const res = await h.post({ ...small(), segments: [{ url: fixtures.url('slow') }] });
        ids.push(((await res.json()) as { jobId: string }).jobId);
      }
      await new Promise((r) => setTimeout(r, 100));
      const statuses = await Promise.all(ids.map(async (id) => ((await (await fetch(`${h.compositor.url}/compose/${id}`)).json()) as { status: string }).status));
      expect(statuses).to.deep.equal(['processing', 'queued']);
      const ready = (await (await fetch(`${h.compositor.url}/readyz`)).json()) as { running: number; queued: number };
      expect(ready).to.include({ running: 1, queued: 1 });
      for (const id of [...ids].reverse()) expect((await h.del(id)).status).to.equal(200);
      expect((await h.waitFor(ids[0])).status).to.equal('canceled');
      expect((await h.waitFor(ids[1])).status).to.equal('canceled');
    });

    it('cancels a queued or running job and leaves no temp files', async () => {
      const res = await h.post({ ...small(), output: { aspect: '16:9', durationSec: 60, width: 160, height: 90 }, segments: [{ url: fixtures.url('slow') }] });
      const { jobId } = (await res.json()) as { jobId: string };
      const del = await h.del(jobId);
      expect(del.status).to.equal(200);
      const view = await h.waitFor(jobId);
      expect(view.status).to.equal('canceled');
      expect(await readdir(join(h.config.stateDir, 'work'))).to.deep.equal([]);
      const again = await h.del(jobId);
      expect(again.status).to.equal(409);
    });
  });

  describe('/composites', () => {
    let url: string;
    before(async () => {
      const view = await renderViaApi(h, small());
      url = view.output?.url as string;
    });

    it('serves the file with type, length, ETag and byte ranges', async () => {
      const full = await fetch(url);
      expect(full.status).to.equal(200);
      expect(full.headers.get('content-type')).to.equal('video/mp4');
      expect(full.headers.get('accept-ranges')).to.equal('bytes');
      const bytes = Buffer.from(await full.arrayBuffer());
      const etag = full.headers.get('etag') as string;
      expect(etag).to.match(/^"[0-9a-f]+-[0-9a-f]+"$/);
      const part = await fetch(url, { headers: { range: 'bytes=10-19' } });
      expect(part.status).to.equal(206);
      expect(part.headers.get('content-range')).to.equal(`bytes 10-19/${bytes.length}`);
      expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(10, 20))).to.equal(true);
      const suffix = await fetch(url, { headers: { range: 'bytes=-5' } });
      expect(Buffer.from(await suffix.arrayBuffer()).equals(bytes.subarray(-5))).to.equal(true);
      const bad = await fetch(url, { headers: { range: `bytes=${bytes.length + 10}-` } });
      expect(bad.status).to.equal(416);
      expect(bad.headers.get('content-range')).to.equal(`bytes */${bytes.length}`);
      const cached = await fetch(url, { headers: { 'if-none-match': etag } });
      expect(cached.status).to.equal(304);
    });

    it('answers HEAD with headers and no body', async () => {
      const res = await fetch(url, { method: 'HEAD' });
      expect(res.status).to.equal(200);
      expect(Number(res.headers.get('content-length'))).to.be.greaterThan(1000);
      expect(res.headers.get('content-type')).to.equal('video/mp4');
    });

    it('does not serve names it did not issue or paths that escape', async () => {
      await writeFile(join(h.config.dataDir, 'secrets-probe.txt'), 'secret');
      for (const path of ['/composites/..%2Fsecrets-probe.txt', '/composites/../secrets.json', '/composites/%2e%2e%2fsecrets.json', '/composites/abc.mp4', `/composites/${'g'.repeat(32)}.mp4`]) {
        const res = await fetch(`${h.compositor.url}${path}`);
        expect(res.status, path).to.equal(404);
      }
    });
  });

  describe('health', () => {
    it('reports live and ready with ffmpeg details', async () => {
      expect((await fetch(`${h.compositor.url}/healthz`)).status).to.equal(200);
      const ready = await fetch(`${h.compositor.url}/readyz`);
      expect(ready.status).to.equal(200);
      const body = (await ready.json()) as { status: string; ffmpeg: string; xfade: boolean };
      expect(body.status).to.equal('ready');
      expect(body.ffmpeg).to.match(/^ffmpeg version/);
    });

    it('is not ready when ffmpeg cannot run', async () => {
      const broken = await startHarness({ allowedOrigins: [fixtures.origin], env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } });
      try {
        const res = await fetch(`${broken.compositor.url}/readyz`);
        expect(res.status).to.equal(503);
        expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('unavailable');
      } finally {
        await broken.stop();
      }
    });
  });

  describe('source limits', () => {
    let limited: Harness;
    before(async () => {
      limited = await startHarness({ allowedOrigins: [fixtures.origin], env: { SOURCE_MAX_BYTES: '4096', SOURCE_TIMEOUT_MS: '300' } });
    });
    after(() => limited.stop());

    it('fails a job whose source is larger than SOURCE_MAX_BYTES', async () => {
      const view = await renderViaApi(limited, small());
      expect(view.status).to.equal('failed');
      expect(view.error?.message).to.match(/red-4x3\.mp4 is \d+ bytes; the limit is 4096/);
    });

    it('fails a job whose source does not arrive within SOURCE_TIMEOUT_MS', async () => {
      const view = await renderViaApi(limited, { ...small(), segments: [{ url: fixtures.url('slow') }] });
      expect(view.status).to.equal('failed');
      expect(view.error?.message).to.match(/slow did not finish downloading within 300 ms/);
    });
  });

  describe('shutdown and retention', () => {
    it('marks a render in flight at shutdown as failed, never processing', async () => {
      const other = await startHarness({ allowedOrigins: [fixtures.origin] });
      const res = await other.post({ ...small(), segments: [{ url: fixtures.url('slow') }] });
      const { jobId } = (await res.json()) as { jobId: string };
      for (let i = 0; i < 50 && (await (await fetch(`${other.compositor.url}/compose/${jobId}`)).json()).status !== 'processing'; i++) await new Promise((r) => setTimeout(r, 20));
      await other.stop(true);
      const record = JSON.parse(await readFile(join(other.config.stateDir, 'jobs', `${jobId}.json`), 'utf8'));
      expect(record.status).to.equal('failed');
      expect(record.error.code).to.equal('interrupted');
      await rm(other.dataDir, { recursive: true, force: true });
    });

    it('removes composites and job records past the retention at start', async () => {
      const other = await startHarness({ allowedOrigins: [fixtures.origin] });
      const view = await renderViaApi(other, small());
      await other.stop(true);
      const name = (view.output?.url as string).split('/').pop() as string;
      const old = new Date(Date.now() - 3 * 3600_000);
      await utimes(join(other.config.compositesDir, name), old, old);
      const jobFile = join(other.config.stateDir, 'jobs', `${view.jobId}.json`);
      await writeFile(jobFile, JSON.stringify({ ...JSON.parse(await readFile(jobFile, 'utf8')), finishedAt: old.toISOString() }));
      const restarted = await startHarness({ allowedOrigins: [fixtures.origin], dataDir: other.dataDir, env: { COMPOSITE_RETENTION_HOURS: '1' } });
      try {
        expect(await readdir(restarted.config.compositesDir)).to.deep.equal([]);
        expect((await fetch(`${restarted.compositor.url}/compose/${view.jobId}`)).status).to.equal(404);
      } finally {
        await restarted.stop();
      }
    });
  });

  describe('restart recovery', () => {
    it('fails jobs left processing and reruns jobs left queued', async () => {
      const other = await startHarness({ allowedOrigins: [fixtures.origin] });
      await other.stop(true);
      const jobsDir = join(other.config.stateDir, 'jobs');
      await mkdir(jobsDir, { recursive: true });
      const now = new Date().toISOString();
      const base = { progress: 0.4, spec: composeSpecSchema.parse(small()), createdAt: now, updatedAt: now };
      const stuck = `cmp_${'1'.repeat(32)}`;
      const waiting = `cmp_${'2'.repeat(32)}`;
      await writeFile(join(jobsDir, `${stuck}.json`), JSON.stringify({ ...base, jobId: stuck, status: 'processing' }));
      await writeFile(join(jobsDir, `${waiting}.json`), JSON.stringify({ ...base, jobId: waiting, status: 'queued', progress: 0 }));
      const restarted = await startHarness({ allowedOrigins: [fixtures.origin], dataDir: other.dataDir });
      try {
        const failed = await restarted.waitFor(stuck);
        expect(failed.status).to.equal('failed');
        expect(failed.error?.code).to.equal('interrupted');
        const rerun = await restarted.waitFor(waiting);
        expect(rerun.status).to.equal('completed');
      } finally {
        await restarted.stop();
      }
    });
  });
});
