/**
 * `npm run demo`: renders one complete commercial through the real API —
 * generation → captions → composite — with both services started in this
 * process on free ports, then prints the output file and what ffprobe says.
 */
import { createWriteStream, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { loadCompositorConfig } from '../compositor/src/config.js';
import { startCompositor } from '../compositor/src/server.js';
import { loadConfig } from '../orchestrator/src/config.js';
import { startOrchestrator } from '../orchestrator/src/orchestrator.js';
import { issueSessionToken } from '../orchestrator/src/auth/sessions.js';
import { createLogger } from '../shared/src/logger.js';
import '../orchestrator/src/routes.js';
import { freePort } from './free-port.js';

const PROMPT = process.env.DEMO_PROMPT ?? 'Fresh sourdough from our corner bakery, warm and golden every morning';
const tty = process.stderr.isTTY;
const started = Date.now();

let lastShown = '';
function progress(step: string, detail = ''): void {
  // Without a terminal, print a line only when it says something new.
  if (!tty && `${step}${detail}` === lastShown) return;
  lastShown = `${step}${detail}`;
  const line = `[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${step}${detail ? ` — ${detail}` : ''}`;
  if (tty) process.stderr.write(`\r\x1b[2K${line}`);
  else process.stderr.write(`${line}\n`);
}
function done(step: string): void {
  progress(step, 'done');
  if (tty) process.stderr.write('\n');
}


async function api(url: string, token: string, body?: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(url, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = await res.json();
  if (res.status >= 400) throw new Error(`${res.status} ${json.error?.code}: ${json.error?.message}`);
  return { status: res.status, body: json };
}

async function main(): Promise<void> {
  const dataDir = resolve(process.env.DATA_DIR ?? join('data', 'demo'));
  mkdirSync(dataDir, { recursive: true });
  const [port, compositorPort] = [await freePort(), await freePort()];
  const env = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    COMPOSITOR_PORT: String(compositorPort),
    COMPOSITOR_HOST: '127.0.0.1',
    COMPOSITOR_URL: `http://127.0.0.1:${compositorPort}`,
    COMPOSITOR_PUBLIC_URL: `http://127.0.0.1:${compositorPort}`,
    DEMO_SEED: 'false',
    COMPOSITE_WAIT_MS: '0',
    JOB_POLL_INTERVAL_MS: '250',
  };
  const quiet = createLogger('demo', process.env.LOG_LEVEL ?? 'warn');
  progress('starting services');
  const compositor = await startCompositor(loadCompositorConfig(env), quiet);
  const orchestrator = await startOrchestrator(loadConfig(env), { logger: quiet });
  const base = orchestrator.url;
  try {
    const { accounts, config } = orchestrator.ctx;
    const user = await accounts.createUser(`demo-${Date.now()}@neariq.local`);
    const business = await accounts.createBusiness({ name: 'Demo Bakery', plan: 'pro' });
    const token = issueSessionToken(config.secrets.sessionSecret, { userId: user.id, businessId: business.id, ttlSec: 3600 });
    done('starting services');

    const created = await api(`${base}/api/businesses/me/video`, token, { prompt: PROMPT, duration: 15, aspectRatio: '16:9', style: 'promo' });
    const videoId = created.body.video.id as string;
    for (;;) {
      const v = (await api(`${base}/api/businesses/me/video?videoId=${videoId}`, token)).body.video;
      if (v.status === 'failed') throw new Error(`generation failed: ${v.error}`);
      if (v.status === 'completed') break;
      progress('1/3 generating the 15 s clip', videoId);
      await new Promise((r) => setTimeout(r, 250));
    }
    done('1/3 generating the 15 s clip');

    progress('2/3 narration and captions');
    const captions = await api(`${base}/api/businesses/me/video/captions`, token, { videoId, captionStyle: 'bold', burnIn: true });
    done(`2/3 narration and captions (${captions.body.captionCues.length} cues)`);

    let answer = (await api(`${base}/api/businesses/me/video/composite`, token, { ...captions.body.compositeBody, voice: true, music: 'upbeat' })).body;
    const jobToken = answer.jobToken as string;
    while (answer.status === 'processing') {
      progress('3/3 compositing', `${Math.round((answer.progress ?? 0) * 100)} %`);
      await new Promise((r) => setTimeout(r, 500));
      answer = (await api(`${base}/api/businesses/me/video/composite?jobToken=${encodeURIComponent(jobToken)}`, token)).body;
    }
    if (answer.status !== 'completed') throw new Error(`composite failed: ${answer.error?.message}`);
    done('3/3 compositing');

    const file = join(dataDir, `commercial-${videoId}.mp4`);
    const res = await fetch(answer.composite.url);
    if (!res.ok || !res.body) throw new Error(`download failed: ${res.status}`);
    await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(file));
    const probe = await orchestrator.ctx.media.probe(file);
    const usage = (await api(`${base}/api/businesses/me/video`, token)).body;
    process.stdout.write(
      [
        '',
        `commercial: ${file}`,
        `  duration ${probe.durationSec.toFixed(2)} s, ${probe.width}x${probe.height}, ${probe.fps} fps, audio ${probe.hasAudio ? 'yes' : 'no'}, ${(probe.sizeBytes / 1024 / 1024).toFixed(2)} MiB`,
        `  dropped by plan: ${answer.dropped.length ? answer.dropped.join(', ') : 'nothing'}`,
        `  credits used: ${usage.creditsUsed} of ${usage.monthlyCredits} (generation 2 + captions 1 + composite 1)`,
        `  total time: ${((Date.now() - started) / 1000).toFixed(1)} s`,
        '',
      ].join('\n'),
    );
  } finally {
    await orchestrator.close();
    await compositor.close();
  }
}

main().catch((err) => {
  process.stderr.write(`\ndemo failed: ${(err as Error).message}\n`);
  process.exit(1);
});
