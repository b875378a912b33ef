import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { AppError } from '../../../shared/src/errors.js';
import { buildEspeakArgs, espeakPitch, espeakRate } from '../../src/providers/narration/espeak-args.js';
import { wavNormalizeArgs } from '../../src/providers/narration/audio-normalize.js';
import { createLocalNarration, createPremiumNarration } from '../../src/providers/narration/index.js';
import { silentLogger, tempDir, testMedia } from './helpers.js';

const media = testMedia();
const text = 'Meet new running shoes. All the comfort you want, none of the hassle. Try them today.';

/** Median fundamental frequency (Hz) of voiced frames, by autocorrelation on the left channel at 12 kHz. */
function medianPitchHz(wavPath: string): number {
  const buf = readFileSync(wavPath);
  const pcm = buf.subarray(buf.indexOf('data') + 8);
  const samples: number[] = [];
  for (let i = 0; i + 15 < pcm.length; i += 16) samples.push(pcm.readInt16LE(i)); // every 4th stereo frame
  const rate = 12000;
  const frame = 480;
  const pitches: number[] = [];
  for (let start = 0; start + frame + 200 < samples.length; start += frame) {
    let energy = 0;
    for (let i = 0; i < frame; i++) energy += samples[start + i]! ** 2;
    if (energy / frame < 1e6) continue;
    let best = 0;
    let bestLag = 0;
    for (let lag = 30; lag <= 200; lag++) {
      let sum = 0;
      for (let i = 0; i < frame; i++) sum += samples[start + i]! * samples[start + i + lag]!;
      if (sum > best) {
        best = sum;
        bestLag = lag;
      }
    }
    if (bestLag > 0 && best / energy > 0.5) pitches.push(rate / bestLag);
  }
  pitches.sort((a, b) => a - b);
  return pitches[Math.floor(pitches.length / 2)] ?? 0;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
}

describe('providers/narration mapping', () => {
  it('maps pace to espeak words per minute and pitch to 0–99', () => {
    expect(espeakRate(1)).to.equal(150);
    expect(espeakRate(2)).to.equal(300);
    expect(espeakRate(0.5)).to.equal(80);
    expect(espeakRate(10)).to.equal(300);
    expect(espeakPitch(1)).to.equal(50);
    expect(espeakPitch(0.5)).to.equal(25);
    expect(espeakPitch(1.5)).to.equal(75);
    expect(espeakPitch(Number.NaN)).to.equal(50);
  });

  it('reads text from a file, never from argv', () => {
    expect(buildEspeakArgs({ speechPace: 1.2, pitch: 0.8 })).to.deep.equal(['-w', 'out.wav', '-f', 'in.txt', '-s', '180', '-p', '40', '-v', 'en-us']);
    expect(wavNormalizeArgs('/a.wav', '/b.wav')).to.deep.equal(['-i', '/a.wav', '-vn', '-ac', '2', '-ar', '48000', '-c:a', 'pcm_s16le', '-f', 'wav', '/b.wav']);
  });
});

describe('providers/narration local (espeak-ng + ffmpeg)', function () {
  this.timeout(60_000);
  let dir: ReturnType<typeof tempDir>;
  const narration = createLocalNarration({ media, logger: silentLogger });
  before(() => { dir = tempDir('narration'); });
  after(() => dir.remove());

  it('synthesizes a 48 kHz stereo WAV that gets shorter as the pace grows', async () => {
    const slow = join(dir.path, 'slow.wav');
    const fast = join(dir.path, 'fast.wav');
    const a = await narration.synthesize({ text, speechPace: 0.75, pitch: 1 }, slow);
    const b = await narration.synthesize({ text, speechPace: 1.5, pitch: 1 }, fast);
    expect(a.durationSec).to.be.greaterThan(b.durationSec * 1.5);
    const probe = await media.probe(fast);
    expect(probe.hasAudio).to.equal(true);
    expect(probe.durationSec).to.be.closeTo(b.durationSec, 0.01);
    expect(readFileSync(fast).subarray(0, 4).toString()).to.equal('RIFF');
    expect(readFileSync(fast).readUInt32LE(24)).to.equal(48000);
    expect(readFileSync(fast).readUInt16LE(22)).to.equal(2);
    // 15 words at 150 wpm × 1.5 is 4 s; espeak should land near it.
    expect(b.durationSec).to.be.within(2.5, 5.5);
  });

  it('pitch changes the voice: a higher fundamental frequency', async () => {
    const low = join(dir.path, 'low.wav');
    const high = join(dir.path, 'high.wav');
    await narration.synthesize({ text, speechPace: 1, pitch: 0.5 }, low);
    await narration.synthesize({ text, speechPace: 1, pitch: 1.5 }, high);
    const hash = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');
    expect(hash(low)).to.not.equal(hash(high));
    const [lo, hi] = [medianPitchHz(low), medianPitchHz(high)];
    expect(lo).to.be.greaterThan(50);
    expect(hi).to.be.greaterThan(lo * 1.2);
  });

  it('speaks text that looks like options or contains odd characters', async () => {
    const out = join(dir.path, 'odd.wav');
    const r = await narration.synthesize({ text: '-w /etc/passwd --help "quoted" 50% 🎉\n new line', speechPace: 1, pitch: 1 }, out);
    expect(r.durationSec).to.be.greaterThan(0.5);
    expect(existsSync('/etc/passwd.wav')).to.equal(false);
  });

  it('refuses empty and over-long text with a message saying what to change', async () => {
    const empty = await narration.synthesize({ text: ' \n ', speechPace: 1, pitch: 1 }, join(dir.path, 'e.wav')).catch((e: unknown) => e);
    expect((empty as AppError).code).to.equal('invalid_request');
    const long = await narration.synthesize({ text: 'word '.repeat(2000), speechPace: 1, pitch: 1 }, join(dir.path, 'l.wav')).catch((e: unknown) => e);
    expect((long as AppError).message).to.match(/longer than 5000 characters: shorten the script/);
  });

  it('stops on abort', async () => {
    const err = await narration.synthesize({ text, speechPace: 1, pitch: 1 }, join(dir.path, 'a.wav'), AbortSignal.timeout(20)).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(existsSync(join(dir.path, 'a.wav'))).to.equal(false);
  });

  it('is always available', async () => {
    await narration.checkAvailable();
    expect(narration.premium).to.equal(false);
  });
});

describe('providers/narration premium (HTTP)', function () {
  this.timeout(30_000);
  let dir: ReturnType<typeof tempDir>;
  before(() => { dir = tempDir('premium'); });
  after(() => dir.remove());

  it('not configured → not_configured naming PREMIUM_TTS_URL', async () => {
    const p = createPremiumNarration({ timeoutMs: 500 }, { media, logger: silentLogger });
    const err = await p.checkAvailable().catch((e: unknown) => e);
    expect(err).to.be.instanceOf(AppError);
    expect((err as AppError).code).to.equal('not_configured');
    expect((err as AppError).status).to.equal(503);
    expect((err as AppError).message).to.contain('PREMIUM_TTS_URL');
    const err2 = await p.synthesize({ text, speechPace: 1, pitch: 1 }, join(dir.path, 'x.wav')).catch((e: unknown) => e);
    expect((err2 as AppError).code).to.equal('not_configured');
  });

  it('unreachable → unavailable', async () => {
    const p = createPremiumNarration({ url: 'http://127.0.0.1:9', timeoutMs: 500 }, { media, logger: silentLogger });
    const err = await p.checkAvailable().catch((e: unknown) => e);
    expect((err as AppError).code).to.equal('unavailable');
  });

  it('a server that never answers → unavailable within the timeout', async () => {
    const { url, server } = await listen(() => undefined);
    try {
      const p = createPremiumNarration({ url, timeoutMs: 300 }, { media, logger: silentLogger });
      const started = Date.now();
      const err = await p.checkAvailable().catch((e: unknown) => e);
      expect((err as AppError).code).to.equal('unavailable');
      expect(Date.now() - started).to.be.lessThan(3000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a fake premium server: health ok, POST {text, speechPace, pitch} → audio written as WAV', async () => {
    const voice = readFileSync('fixtures/media/voice.wav');
    const seen: Array<{ method?: string; url?: string; auth?: string; body: string }> = [];
    const { url, server } = await listen((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, body });
        if (req.url === '/tts/health') return void res.writeHead(200).end('ok');
        if (req.method === 'POST' && req.url === '/tts') return void res.writeHead(200, { 'content-type': 'audio/wav' }).end(voice);
        res.writeHead(404).end();
      });
    });
    try {
      const p = createPremiumNarration({ url: `${url}/tts`, apiKey: 'k1', timeoutMs: 2000 }, { media, logger: silentLogger });
      expect(p.premium).to.equal(true);
      await p.checkAvailable();
      const dest = join(dir.path, 'premium.wav');
      const r = await p.synthesize({ text, speechPace: 1.25, pitch: 0.9 }, dest);
      expect(r.durationSec).to.be.greaterThan(0);
      const probe = await media.probe(dest);
      expect(probe.hasAudio).to.equal(true);
      const post = seen.find((s) => s.method === 'POST')!;
      expect(JSON.parse(post.body)).to.deep.equal({ text, speechPace: 1.25, pitch: 0.9 });
      expect(post.auth).to.equal('Bearer k1');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it('a premium server answering an error → bad_gateway', async () => {
    const { url, server } = await listen((_req, res) => void res.writeHead(500).end('nope'));
    try {
      const p = createPremiumNarration({ url, timeoutMs: 2000 }, { media, logger: silentLogger });
      const err = await p.synthesize({ text, speechPace: 1, pitch: 1 }, join(dir.path, 'y.wav')).catch((e: unknown) => e);
      expect((err as AppError).code).to.equal('bad_gateway');
      expect((err as AppError).message).to.equal('Premium narration answered HTTP 500.');
      expect((await p.checkAvailable().catch((e: unknown) => e) as AppError).code).to.equal('unavailable');
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
