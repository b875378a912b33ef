import { expect } from 'chai';
import { composeSpecSchema, type ComposeSpecInput } from '../../shared/src/compose-spec.js';
import { computeTimeline, TimelineError } from '../src/render/timeline.js';

const spec = (over: Partial<ComposeSpecInput> = {}) =>
  composeSpecSchema.parse({ output: { aspect: '16:9', durationSec: 15 }, segments: [{ url: 'http://o/a' }, { url: 'http://o/b' }, { url: 'http://o/c' }], ...over });
const src = (durationSec: number, hasAudio = true) => ({ durationSec, hasAudio });

describe('timeline', () => {
  it('lays hard cuts end to end and pads a short timeline to the slot', () => {
    const t = computeTimeline(spec(), [src(4), src(4), src(4)]);
    expect(t.clips.map((c) => c.frames)).to.deep.equal([120, 120, 120]);
    expect(t).to.include({ fadeFrames: 0, slotFrames: 450, contentFrames: 360, padFrames: 90, fadeOutFrames: 0 });
  });

  it('overlaps clips by the fade and honours trims', () => {
    const t = computeTimeline(
      spec({
        output: { aspect: '16:9', durationSec: 20 },
        segments: [{ url: 'http://o/a', startSec: 1, endSec: 6 }, { url: 'http://o/b' }, { url: 'http://o/c', endSec: 5.5 }],
        transition: { type: 'fade', durationSec: 0.5 },
      }),
      [src(10), src(6), src(8, false)],
    );
    expect(t.clips).to.deep.equal([
      { index: 0, inSec: 1, frames: 150, hasAudio: true },
      { index: 1, inSec: 0, frames: 180, hasAudio: true },
      { index: 2, inSec: 0, frames: 165, hasAudio: false },
    ]);
    expect(t).to.include({ fadeFrames: 15, contentFrames: 465, padFrames: 135, fadeOutFrames: 0 });
  });

  it('cuts a long timeline at the slot without decoding past it, with a short fade-out', () => {
    const t = computeTimeline(spec({ transition: { type: 'fade', durationSec: 0.5 } }), [src(8), src(8), src(8)]);
    // clip 0: frames 0-239, clip 1 starts at 225 and is cut at 450; clip 2 is never used.
    expect(t.clips.map((c) => [c.index, c.frames])).to.deep.equal([
      [0, 240],
      [1, 225],
    ]);
    expect(t).to.include({ contentFrames: 450, padFrames: 0, fadeOutFrames: 15 });
  });

  it('ends on the previous clip when too little is left to fade the next one in', () => {
    const t = computeTimeline(spec({ output: { aspect: '16:9', durationSec: 5 }, transition: { type: 'fade', durationSec: 0.5 } }), [src(5.1), src(4), src(4)]);
    expect(t.clips.map((c) => [c.index, c.frames])).to.deep.equal([[0, 150]]);
    expect(t).to.include({ contentFrames: 150, fadeFrames: 0, fadeOutFrames: 15 });
  });

  it('shrinks a fade longer than a third of the shortest clip', () => {
    const t = computeTimeline(spec({ transition: { type: 'fade', durationSec: 2 } }), [src(3), src(1.5), src(3)]);
    expect(t.fadeFrames).to.equal(15);
  });

  it('treats a segment starting past the end of its source as an error naming the field', () => {
    expect(() => computeTimeline(spec({ segments: [{ url: 'http://o/a', startSec: 9 }] }), [src(4)]))
      .to.throw(TimelineError, 'segments.0 is empty: the source lasts 4.00 s, the segment starts at 9 s.')
      .with.property('field', 'segments.0.startSec');
  });
});
