import { expect } from 'chai';
import { hasFilter } from '../src/ffmpeg/ffmpeg-adapter.js';
import { normalizeProbe } from '../src/ffmpeg/probe.js';
import { parseProgressLine, progressFraction } from '../src/ffmpeg/progress.js';
import { parseRange } from '../src/http/composite-routes.js';
import { verifyOutput } from '../src/render/verify-output.js';
import { isAllowedUrl } from '../src/storage/source-fetcher.js';
import { assTime } from '../src/render/ass-subtitles.js';

describe('pure helpers', () => {
  it('parses ffmpeg progress lines', () => {
    expect(parseProgressLine('out_time_ms=2500000')).to.deep.equal({ outTimeSec: 2.5, done: false });
    expect(parseProgressLine('out_time_us=1000000')).to.deep.equal({ outTimeSec: 1, done: false });
    expect(parseProgressLine('progress=end')).to.deep.equal({ done: true });
    expect(parseProgressLine('progress=continue')).to.deep.equal({ done: false });
    expect(parseProgressLine('fps=30')).to.equal(undefined);
    expect(parseProgressLine('out_time_ms=N/A')).to.equal(undefined);
    expect(progressFraction(7.5, 15)).to.equal(0.5);
    expect(progressFraction(20, 15)).to.equal(0.99);
  });

  it('normalizes ffprobe JSON into camelCase media info', () => {
    const info = normalizeProbe({
      format: { duration: '15.023000', size: '1234' },
      streams: [
        { codec_type: 'video', codec_name: 'h264', width: 320, height: 180, avg_frame_rate: '30/1', r_frame_rate: '30/1', duration: '15.000000', pix_fmt: 'yuv420p' },
        { codec_type: 'audio', codec_name: 'aac', sample_rate: '48000', channels: 2, duration: '15.023000' },
      ],
    });
    expect(info).to.deep.equal({
      durationSec: 15.023,
      sizeBytes: 1234,
      video: { codec: 'h264', width: 320, height: 180, fps: 30, durationSec: 15, pixFmt: 'yuv420p' },
      audio: { codec: 'aac', sampleRate: 48000, channels: 2, durationSec: 15.023 },
    });
  });

  it('verifies duration, frame, fps and streams', () => {
    const good = { durationSec: 15.02, video: { codec: 'h264', width: 320, height: 180, fps: 30 }, audio: { codec: 'aac', sampleRate: 48000, channels: 2 } };
    const expected = { durationSec: 15, toleranceSec: 0.1, width: 320, height: 180, fps: 30 };
    expect(verifyOutput(good, expected)).to.deep.equal([]);
    expect(verifyOutput({ ...good, durationSec: 15.2, audio: undefined }, expected)).to.deep.equal([
      'the output has no audio stream',
      'duration is 15.200 s, expected 15 s ± 0.1 s',
    ]);
    expect(verifyOutput({ ...good, video: { ...good.video, width: 322, fps: 25 } }, expected)).to.deep.equal(['frame is 322x180, expected 320x180', 'frame rate is 25.000, expected 30']);
  });

  it('parses byte ranges', () => {
    expect(parseRange(undefined, 100)).to.equal(undefined);
    expect(parseRange('bytes=0-9', 100)).to.deep.equal({ start: 0, end: 9 });
    expect(parseRange('bytes=90-', 100)).to.deep.equal({ start: 90, end: 99 });
    expect(parseRange('bytes=-10', 100)).to.deep.equal({ start: 90, end: 99 });
    expect(parseRange('bytes=50-1000', 100)).to.deep.equal({ start: 50, end: 99 });
    expect(parseRange('bytes=100-', 100)).to.equal('unsatisfiable');
    expect(parseRange('bytes=5-1', 100)).to.equal('unsatisfiable');
    expect(parseRange('items=0-1', 100)).to.equal(undefined);
  });

  it('allows only listed origins, without credentials', () => {
    const allowed = ['http://127.0.0.1:3000'];
    expect(isAllowedUrl('http://127.0.0.1:3000/internal/sources/vid_1?exp=1&sig=2', allowed)).to.equal(true);
    expect(isAllowedUrl('http://127.0.0.1:3001/x', allowed)).to.equal(false);
    expect(isAllowedUrl('http://user:pw@127.0.0.1:3000/x', allowed)).to.equal(false);
    expect(isAllowedUrl('file:///etc/passwd', allowed)).to.equal(false);
  });

  it('detects filters in the ffmpeg -filters listing', () => {
    const listing = 'Filters:\n  T.. = Timeline support\n ... acrossfade        AA->A      Cross fade two input audio streams.\n TS. xfade             VV->V      Cross fade one video with another video.\n';
    expect(hasFilter(listing, 'xfade')).to.equal(true);
    expect(hasFilter(listing, 'acrossfade')).to.equal(true);
    expect(hasFilter(listing, 'fade')).to.equal(false);
    expect(hasFilter(listing.replace(' TS. xfade', ' TS. axfade'), 'xfade')).to.equal(false);
  });

  it('formats ASS times', () => {
    expect(assTime(0)).to.equal('0:00:00.00');
    expect(assTime(61.257)).to.equal('0:01:01.26');
    expect(assTime(3725.5)).to.equal('1:02:05.50');
  });
});
