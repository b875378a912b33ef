import { expect } from 'chai';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signPath } from '../../../shared/src/signing.js';
import { ensureNarration, narrationDir } from '../../src/bundles/index.js';
import { NARRATION_PREFIX, SOURCE_PREFIX, sourceUrls } from '../../src/sources/index.js';
import { dbKind, seedTenant, startTestOrchestrator, type TestServer } from '../helpers/harness.js';
import { completedVideo, createVideo, FIXTURE_CLIP } from './dashboard-helpers.js';

describe(`signed source routes and the narration cache (${dbKind})`, function () {
  this.timeout(120_000);
  let server: TestServer;
  before(async () => {
    server = await startTestOrchestrator({ JOB_RUNNER: 'false', SOURCE_URL_TTL_SEC: '60' });
  });
  after(() => server.close());

  /** A URL from the helper the composite engineer uses, pointed at this test server's real port. */
  const local = (signed: string) => server.url + new URL(signed).pathname + new URL(signed).search;
  const secret = () => server.config.secrets.compositorSecret;

  it('serves the generated clip behind a signed URL: 200, Range/206, HEAD', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const id = await completedVideo(server, t.sessionToken);
    const url = local(sourceUrls(server.handle.ctx).video(id));
    expect(url).to.match(new RegExp(`${SOURCE_PREFIX}/${id}\\?exp=\\d+&sig=[0-9a-f]{64}$`));
    const clip = readFileSync(FIXTURE_CLIP);
    const full = await fetch(url);
    expect(full.status).to.equal(200);
    expect(full.headers.get('content-type')).to.equal('video/mp4');
    expect(full.headers.get('cache-control')).to.equal('private, no-store');
    expect(Buffer.from(await full.arrayBuffer()).equals(clip)).to.equal(true);
    const part = await fetch(url, { headers: { range: 'bytes=0-99' } });
    expect(part.status).to.equal(206);
    expect(Buffer.from(await part.arrayBuffer()).equals(clip.subarray(0, 100))).to.equal(true);
    const head = await fetch(url, { method: 'HEAD' });
    expect(head.status).to.equal(200);
    expect(head.headers.get('content-length')).to.equal(String(clip.length));
  });

  it('401 invalid_signature for a missing, expired, tampered or re-targeted signature', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const id = await completedVideo(server, t.sessionToken);
    const other = await completedVideo(server, t.sessionToken);
    const good = new URL(local(sourceUrls(server.handle.ctx).video(id)));
    const now = Math.floor(Date.now() / 1000);
    const cases: Record<string, string> = {
      missing: `${server.url}${SOURCE_PREFIX}/${id}`,
      'no sig': `${server.url}${SOURCE_PREFIX}/${id}?exp=${good.searchParams.get('exp')}`,
      expired: server.url + signPath(secret(), `${SOURCE_PREFIX}/${id}`, now - 5),
      'tampered sig': `${server.url}${SOURCE_PREFIX}/${id}?exp=${good.searchParams.get('exp')}&sig=${'0'.repeat(64)}`,
      'extended exp': `${server.url}${SOURCE_PREFIX}/${id}?exp=${Number(good.searchParams.get('exp')) + 3600}&sig=${good.searchParams.get('sig')}`,
      'other video': `${server.url}${SOURCE_PREFIX}/${other}${good.search}`,
      'wrong secret': server.url + signPath('not-the-secret', `${SOURCE_PREFIX}/${id}`, now + 60),
    };
    for (const [name, url] of Object.entries(cases)) {
      const res = await fetch(url);
      expect(res.status, name).to.equal(401);
      const body = (await res.json()) as { error: { code: string; message: string } };
      expect(body.error.code, name).to.equal('invalid_signature');
    }
    const expired = await fetch(cases.expired!);
    expect(((await expired.json()) as { error: { message: string } }).error.message).to.match(/expired/);
  });

  it('404 when the signed video has no output yet or does not exist', async () => {
    const t = await seedTenant(server, { plan: 'pro' });
    const processing = (await createVideo(server, t.sessionToken)).body.video.id;
    for (const id of [processing, 'vid_unknown']) {
      const res = await fetch(local(sourceUrls(server.handle.ctx).video(id)));
      expect(res.status, id).to.equal(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).to.equal('not_found');
    }
  });

  it('ensureNarration synthesizes once into DATA_DIR/media/narration/<sha256>.wav and serves it signed', async () => {
    const ctx = server.handle.ctx;
    const input = { ctx, text: "Hello from Bella's bakery: 100% {fresh} = [good]!", speechPace: 1.2, pitch: 0.9, premium: false };
    const first = await ensureNarration(input);
    expect(first.fileName).to.match(/^[a-f0-9]{64}\.wav$/);
    expect(first.path).to.equal(`${narrationDir(ctx)}/${first.fileName}`);
    expect(first.durationSec).to.be.within(1, 10);
    const probe = await ctx.media.probe(first.path);
    expect(probe.hasAudio).to.equal(true);
    expect(probe.durationSec).to.be.closeTo(first.durationSec, 0.05);
    const mtime = readdirSync(narrationDir(ctx)).length;
    const [a, b] = await Promise.all([ensureNarration(input), ensureNarration(input)]);
    expect(a).to.deep.equal(first);
    expect(b).to.deep.equal(first);
    expect(readdirSync(narrationDir(ctx))).to.have.length(mtime); // no new file, no temp left behind
    expect(readdirSync(narrationDir(ctx)).every((f) => /^[a-f0-9]{64}\.wav$/.test(f))).to.equal(true);
    const other = await ensureNarration({ ...input, speechPace: 2 });
    expect(other.fileName).to.not.equal(first.fileName);
    expect(other.durationSec).to.be.lessThan(first.durationSec);

    const url = local(sourceUrls(ctx).narration(first.fileName));
    const res = await fetch(url);
    expect(res.status).to.equal(200);
    expect(res.headers.get('content-type')).to.equal('audio/wav');
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(first.path))).to.equal(true);
    const part = await fetch(url, { headers: { range: 'bytes=0-3' } });
    expect(part.status).to.equal(206);
    expect(await part.text()).to.equal('RIFF');
    expect((await fetch(`${server.url}${NARRATION_PREFIX}/${first.fileName}`)).status).to.equal(401);
  });

  it('narration fileName must be a cache name: path escapes and other names are 404 even when signed', async () => {
    const now = Math.floor(Date.now() / 1000) + 60;
    const names = ['..%2F..%2Fsecrets.json', '..%2Fsecrets.json', '%2E%2E%2Fsecrets.json', `${'a'.repeat(64)}.wav%00`, 'secrets.json', `${'A'.repeat(64)}.wav`, `${'a'.repeat(63)}.wav`];
    for (const name of names) {
      const res = await fetch(server.url + signPath(secret(), `${NARRATION_PREFIX}/${name}`, now));
      expect([400, 404], name).to.include(res.status);
      const text = await res.text();
      expect(text, name).to.not.match(/sessionSecret|compositorSecret/);
    }
    // A raw "../" is normalised away by the client; whatever it reaches must not be the secrets file.
    const raw = await fetch(`${server.url}${NARRATION_PREFIX}/../../secrets.json`);
    expect(raw.status).to.equal(404);
    expect(existsSync(`${server.dataDir}/secrets.json`)).to.equal(true);
    // A well-formed name that is not cached: signed → 404.
    const missing = await fetch(local(sourceUrls(server.handle.ctx).narration(`${'b'.repeat(64)}.wav`)));
    expect(missing.status).to.equal(404);
  });

  describe('premium narration', () => {
    let tts: Server;
    let ttsUrl: string;
    before(async () => {
      const wav = readFileSync('fixtures/media/voice.wav');
      tts = createServer((req, res) => {
        if (req.method === 'GET' && req.url === '/health') return void res.writeHead(200).end('ok');
        req.resume();
        req.on('end', () => res.writeHead(200, { 'content-type': 'audio/wav' }).end(wav));
      });
      await new Promise<void>((r) => tts.listen(0, '127.0.0.1', r));
      ttsUrl = `http://127.0.0.1:${(tts.address() as AddressInfo).port}`;
    });
    after(() => tts.close());

    it('503 not_configured without PREMIUM_TTS_URL, 503 unavailable when unreachable', async () => {
      const input = { ctx: server.handle.ctx, text: 'Premium words.', speechPace: 1, pitch: 1, premium: true };
      try {
        await ensureNarration(input);
        expect.fail('should throw');
      } catch (err) {
        expect(err).to.include({ code: 'not_configured', status: 503 });
      }
      const ctx = { ...server.handle.ctx, config: { ...server.handle.ctx.config, premiumTts: { url: 'http://127.0.0.1:9', timeoutMs: 500 } } };
      try {
        await ensureNarration({ ...input, ctx });
        expect.fail('should throw');
      } catch (err) {
        expect((err as { status: number }).status).to.equal(503);
      }
    });

    it('uses the premium provider when configured, cached under its own key', async () => {
      const ctx = { ...server.handle.ctx, config: { ...server.handle.ctx.config, premiumTts: { url: ttsUrl, timeoutMs: 5000 } } };
      const premium = await ensureNarration({ ctx, text: 'Premium words.', speechPace: 1, pitch: 1, premium: true });
      const local = await ensureNarration({ ctx, text: 'Premium words.', speechPace: 1, pitch: 1, premium: false });
      expect(premium.fileName).to.not.equal(local.fileName);
      const fixture = await ctx.media.probe('fixtures/media/voice.wav');
      expect(premium.durationSec).to.be.closeTo(fixture.durationSec, 0.05);
    });
  });
});
