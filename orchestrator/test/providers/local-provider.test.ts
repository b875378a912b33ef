import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MediaTool } from '../../src/media/media-tool.js';
import { buildLocalRenderArgs, cardLayout } from '../../src/providers/generation/local-render-args.js';
import { LocalProvider } from '../../src/providers/generation/local-provider.js';
import { promptCardText } from '../../src/providers/generation/prompt-card-text.js';
import { promptLook } from '../../src/providers/generation/prompt-look.js';
import type { AspectRatio, GenerationRequest } from '../../src/providers/generation/types.js';
import { silentLogger, tempDir, testFont, testMedia, waitFor } from './helpers.js';

const media = testMedia();

function req(over: Partial<GenerationRequest> = {}): GenerationRequest {
  return { videoId: 'vid_test1', prompt: 'A sunny lemonade stand on a quiet street', durationSec: 5, aspectRatio: '16:9', ...over };
}

async function firstFrameHash(path: string, dir: string): Promise<string> {
  const out = join(dir, `frame-${Math.random().toString(36).slice(2)}.rgb`);
  await media.run(['-i', path, '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', out]);
  return createHash('sha256').update(readFileSync(out)).digest('hex');
}

async function renderToFile(provider: LocalProvider, r: GenerationRequest, dest: string): Promise<void> {
  const { providerJobId } = await provider.submit(r);
  const status = await waitFor(async () => {
    const s = await provider.poll(providerJobId, r);
    return s.state === 'processing' ? undefined : s;
  }, { timeoutMs: 60_000, intervalMs: 100 });
  expect(status).to.deep.equal({ state: 'succeeded' });
  await provider.fetchOutput(providerJobId, dest);
}

describe('providers/generation/local pure parts', () => {
  it('derives a deterministic look from the prompt', () => {
    expect(promptLook('hello world')).to.deep.equal(promptLook('hello world'));
    expect(promptLook('hello world')).to.not.deep.equal(promptLook('hello world!'));
    expect(promptLook('x').background).to.match(/^0x[0-9A-F]{6}$/);
  });

  it('wraps the prompt for the card, collapsing newlines and capping length', () => {
    expect(promptCardText('one two\nthree\tfour', { maxCharsPerLine: 9, maxLines: 5 })).to.equal('one two\nthree\nfour');
    const long = promptCardText('word '.repeat(100), { maxCharsPerLine: 10, maxLines: 2 });
    expect(long.split('\n')).to.have.length(2);
    expect(long.endsWith('…')).to.equal(true);
    expect(promptCardText('x'.repeat(25), { maxCharsPerLine: 10, maxLines: 5 })).to.equal('xxxxxxxxxx\nxxxxxxxxxx\nxxxxx');
  });

  it('builds an argument array where the prompt never enters the filter graph', () => {
    const prompt = "evil'[v];drawtext=text=%{pts}:x=0 ,; \\";
    const args = buildLocalRenderArgs({ req: { prompt, durationSec: 15, aspectRatio: '9:16' }, size: 'full', fontPath: '/f/font.ttf', textFilePath: '/w/t.txt', outPath: '/w/o.part' });
    expect(args.join(' ')).to.not.contain('evil');
    const graph = args[args.indexOf('-filter_complex') + 1]!;
    expect(graph).to.contain('drawtext=expansion=none:fontfile=/f/font.ttf:textfile=/w/t.txt:');
    expect(args[args.indexOf('-t') + 1]).to.equal('15');
    expect(args[1]).to.equal('lavfi');
    expect(args[3]).to.match(/^color=c=0x[0-9A-F]{6}:s=1080x1920:r=30:d=15$/);
    expect(args.slice(args.indexOf('-c:v'), args.indexOf('-c:v') + 2)).to.deep.equal(['-c:v', 'libx264']);
    expect(args.at(-1)).to.equal('/w/o.part');
    for (const a of args) expect(a.startsWith('-') && a.includes(' ')).to.equal(false);
  });

  it('omits drawtext when no font is configured', () => {
    const args = buildLocalRenderArgs({ req: { prompt: 'hello there', durationSec: 5, aspectRatio: '1:1' }, size: 'preview', textFilePath: '/t', outPath: '/o' });
    expect(args.join(' ')).to.not.contain('drawtext');
  });

  it('sizes the card text to the frame', () => {
    const l = cardLayout(640, 360);
    expect(l.fontSize).to.equal(23);
    expect(l.maxCharsPerLine).to.be.within(30, 50);
  });
});

describe('providers/generation/local renders (real ffmpeg)', function () {
  this.timeout(120_000);
  let dir: ReturnType<typeof tempDir>;
  let provider: LocalProvider;
  const font = testFont();
  // A work dir with filter-graph special characters proves paths are escaped.
  before(() => {
    dir = tempDir("local it's:odd,[dir];");
    provider = new LocalProvider({ workDir: join(dir.path, 'work'), size: 'preview', fontPath: font }, { media, logger: silentLogger });
  });
  after(() => dir.remove());

  const frames: Record<AspectRatio, [number, number]> = { '16:9': [640, 360], '9:16': [360, 640], '1:1': [480, 480] };
  for (const [aspect, [w, h]] of Object.entries(frames) as Array<[AspectRatio, [number, number]]>) {
    it(`renders a 5 s ${aspect} preview clip with sound`, async () => {
      const dest = join(dir.path, `clip-${w}x${h}.mp4`);
      await renderToFile(provider, req({ videoId: `vid_${w}x${h}`, aspectRatio: aspect }), dest);
      const p = await media.probe(dest);
      expect(p.durationSec).to.be.closeTo(5, 0.1);
      expect([p.width, p.height]).to.deep.equal([w, h]);
      expect(p.fps).to.equal(30);
      expect(p.hasAudio).to.equal(true);
      expect(p.hasVideo).to.equal(true);
    });
  }

  it('is deterministic for the same prompt and differs for another', async () => {
    const a = join(dir.path, 'a.mp4');
    const b = join(dir.path, 'b.mp4');
    const c = join(dir.path, 'c.mp4');
    await renderToFile(provider, req({ videoId: 'vid_a' }), a);
    await renderToFile(provider, req({ videoId: 'vid_b' }), b);
    await renderToFile(provider, req({ videoId: 'vid_c', prompt: 'A rainy night market with neon signs' }), c);
    const [ha, hb, hc] = await Promise.all([a, b, c].map((f) => firstFrameHash(f, dir.path)));
    expect(ha).to.equal(hb);
    expect(hc).to.not.equal(ha);
  });

  it('renders prompts full of graph syntax, unicode, emoji and newlines', async () => {
    const prompt = "Sale: 50% off! 'quoted' \"double\" , ; [v] \\ {x} =a=b %{pts} 🎉🚀 café Ünïcødé\nsecond line\r\n\tthird";
    const dest = join(dir.path, 'weird.mp4');
    await renderToFile(provider, req({ videoId: 'vid_weird', prompt }), dest);
    const p = await media.probe(dest);
    expect(p.durationSec).to.be.closeTo(5, 0.1);
  });

  it('resumes after a restart: a new instance re-renders an unknown job, ignoring a half-written temp file', async () => {
    const workDir = join(dir.path, 'restart');
    const first = new LocalProvider({ workDir, size: 'preview', fontPath: font }, { media, logger: silentLogger });
    const r = req({ videoId: 'vid_restart' });
    const { providerJobId } = await first.submit(r);
    await first.cancel(providerJobId); // the "crash": the render never finishes
    await first.idle();
    // What a killed process leaves behind: a truncated temp file from long ago.
    mkdirSync(workDir, { recursive: true });
    const stale = join(workDir, `${providerJobId}.deadbeef.part`);
    writeFileSync(stale, Buffer.alloc(1024, 1));
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    expect(existsSync(join(workDir, `${providerJobId}.mp4`))).to.equal(false);

    const second = new LocalProvider({ workDir, size: 'preview', fontPath: font }, { media, logger: silentLogger });
    expect(await second.poll(providerJobId, r)).to.deep.equal({ state: 'processing' });
    await second.idle();
    expect(await second.poll(providerJobId, r)).to.deep.equal({ state: 'succeeded' });
    expect(existsSync(stale)).to.equal(false);
    const dest = join(dir.path, 'restart.mp4');
    await second.fetchOutput(providerJobId, dest);
    expect((await media.probe(dest)).durationSec).to.be.closeTo(5, 0.1);
    expect(readdirSync(workDir)).to.deep.equal([]);
  });

  it('a finished file found on disk counts as done without re-rendering', async () => {
    const workDir = join(dir.path, 'done');
    const p1 = new LocalProvider({ workDir, size: 'preview', fontPath: font }, { media, logger: silentLogger });
    const r = req({ videoId: 'vid_done' });
    await p1.submit(r);
    await p1.idle();
    const p2 = new LocalProvider({ workDir, size: 'preview', fontPath: font }, { media, logger: silentLogger });
    expect(await p2.poll('local_vid_done', r)).to.deep.equal({ state: 'succeeded' });
  });

  it('reports a failed render with its reason', async () => {
    const broken = new MediaTool({ ffmpegPath: process.execPath, ffprobePath: process.execPath, logger: silentLogger });
    const bad = new LocalProvider({ workDir: join(dir.path, 'bad'), size: 'preview', fontPath: font }, { media: broken, logger: silentLogger });
    const r = req({ videoId: 'vid_bad' });
    const { providerJobId } = await bad.submit(r);
    await bad.idle();
    const s = await bad.poll(providerJobId, r);
    expect(s.state).to.equal('failed');
    expect(s.state === 'failed' && s.reason).to.match(/^Local render failed: .*exited with/);
  });

  it('rejects unsafe ids', async () => {
    const err = await provider.submit(req({ videoId: '../etc' })).catch((e: Error) => e);
    expect((err as { code?: string }).code).to.equal('invalid_request');
    const err2 = await provider.fetchOutput('local_../../x', '/tmp/x').catch((e: Error) => e);
    expect((err2 as { code?: string }).code).to.equal('invalid_request');
  });

  it('renders one at a time by default', async () => {
    const workDir = join(dir.path, 'serial');
    let running = 0;
    let peak = 0;
    const orig = media.run.bind(media);
    const spy = { ...media, run: async (...a: Parameters<typeof media.run>) => { running++; peak = Math.max(peak, running); try { await orig(...a); } finally { running--; } } };
    const counted = new LocalProvider({ workDir, size: 'preview', fontPath: font }, { media: spy as unknown as typeof media, logger: silentLogger });
    await Promise.all([counted.submit(req({ videoId: 'vid_s1' })), counted.submit(req({ videoId: 'vid_s2' }))]);
    await counted.idle();
    expect(peak).to.equal(1);
  });
});
