import { expect } from 'chai';
import { join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { normalizeProbe, parseRate } from '../../src/media/probe-result.js';
import { parseFfmpegTime } from '../../src/media/ffmpeg-progress.js';
import { escapeFilterValue } from '../../src/media/filter-escape.js';
import { resolveFfmpegPaths } from '../../src/media/ffmpeg-paths.js';
import { tempDir, testMedia } from '../providers/helpers.js';

describe('media/ffmpeg-paths', () => {
  it('defaults to the bundled binaries and lets config override them', () => {
    const d = resolveFfmpegPaths({});
    expect(d.ffmpeg).to.match(/ffmpeg$/);
    expect(d.ffprobe).to.match(/ffprobe$/);
    expect(resolveFfmpegPaths({ ffmpegPath: '/opt/ff/ffmpeg', ffprobePath: ' ' })).to.deep.equal({ ffmpeg: '/opt/ff/ffmpeg', ffprobe: d.ffprobe });
  });
});

describe('media/probe-result', () => {
  it('normalises ffprobe JSON once into camelCase', () => {
    const raw = JSON.stringify({
      streams: [
        { codec_type: 'video', width: 640, height: 360, avg_frame_rate: '30000/1001' },
        { codec_type: 'audio' },
      ],
      format: { duration: '5.012', size: '12345', format_name: 'mov,mp4,m4a,3gp,3g2,mj2' },
    });
    expect(normalizeProbe(raw)).to.deep.equal({
      durationSec: 5.012, width: 640, height: 360, fps: 29.97, hasVideo: true, hasAudio: true, sizeBytes: 12345, formatName: 'mov,mp4,m4a,3gp,3g2,mj2',
    });
  });

  it('handles audio-only files and odd rates', () => {
    const r = normalizeProbe(JSON.stringify({ streams: [{ codec_type: 'audio', duration: '2.5' }], format: {} }));
    expect(r).to.include({ hasVideo: false, hasAudio: true, width: 0, fps: 0, durationSec: 2.5 });
    expect(parseRate('0/0')).to.equal(0);
    expect(parseRate('25')).to.equal(25);
  });
});

describe('media/ffmpeg-progress', () => {
  it('reads the last output time of a stats chunk', () => {
    expect(parseFfmpegTime('frame=  10 fps=0.0 q=-1.0 size=N/A time=00:00:01.50 bitrate=N/A\rframe=  20 time=00:01:02.25 bitrate')).to.equal(62.25);
    expect(parseFfmpegTime('size=N/A time=-00:00:00.02 bitrate')).to.equal(undefined);
    expect(parseFfmpegTime('Stream mapping:')).to.equal(undefined);
  });
});

describe('media/filter-escape', () => {
  it('escapes option and graph special characters of a path', () => {
    expect(escapeFilterValue('/tmp/a:b')).to.equal('/tmp/a\\\\:b');
    expect(escapeFilterValue("/tmp/it's,[x];")).to.equal("/tmp/it\\\\\\'s\\,\\[x\\]\\;");
    expect(escapeFilterValue('/plain/path.ttf')).to.equal('/plain/path.ttf');
  });
});

describe('media/media-tool (real ffmpeg)', function () {
  this.timeout(30_000);
  const media = testMedia();
  let dir: ReturnType<typeof tempDir>;
  before(() => { dir = tempDir('media-tool'); });
  after(() => dir.remove());

  it('runs ffmpeg and probes the result', async () => {
    const out = join(dir.path, 'tone.mp4');
    await media.run(['-f', 'lavfi', '-i', 'color=c=red:s=160x90:r=25:d=1', '-f', 'lavfi', '-i', 'sine=f=440:d=1', '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p', '-c:a', 'aac', '-shortest', out]);
    const p = await media.probe(out);
    expect(p).to.include({ width: 160, height: 90, fps: 25, hasVideo: true, hasAudio: true });
    expect(p.durationSec).to.be.closeTo(1, 0.1);
    expect(p.sizeBytes).to.be.greaterThan(0);
    expect(p.formatName).to.contain('mp4');
  });

  it('reports progress as output seconds', async () => {
    const seen: number[] = [];
    await media.run(['-f', 'lavfi', '-i', 'testsrc=s=160x90:r=25:d=3', '-f', 'null', '-'], { onProgress: (t) => seen.push(t) });
    expect(seen.length).to.be.greaterThan(0);
    expect(seen.at(-1)).to.be.closeTo(3, 0.1);
  });

  it('rejects with the stderr tail when ffmpeg fails', async () => {
    const err = await media.run(['-i', join(dir.path, 'missing.mp4'), join(dir.path, 'x.mp4')]).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
    expect((err as Error).message).to.match(/ffmpeg exited with 1: .*missing\.mp4/s);
  });

  it('rejects when probing a non-media file', async () => {
    const junk = join(dir.path, 'junk.mp4');
    writeFileSync(junk, 'not a video');
    const err = await media.probe(junk).catch((e: Error) => e);
    expect((err as Error).message).to.match(/ffprobe exited/);
  });

  it('kills the process on abort and on timeout', async () => {
    const endless = ['-f', 'lavfi', '-i', 'sine=f=440', '-f', 'null', '-'];
    const controller = new AbortController();
    const started = Date.now();
    setTimeout(() => controller.abort(), 200);
    const aborted = await media.run(endless, { signal: controller.signal }).catch((e: Error) => e);
    expect((aborted as Error).name).to.equal('AbortError');
    const timedOut = await media.run(endless, { timeoutMs: 200 }).catch((e: Error) => e);
    expect((timedOut as Error).message).to.match(/timed out after 200 ms/);
    expect(Date.now() - started).to.be.lessThan(5000);
  });

  it('refuses to start when already aborted', async () => {
    const err = await media.run(['-version'], { signal: AbortSignal.abort() }).catch((e: Error) => e);
    expect(err).to.be.instanceOf(Error);
  });
});
