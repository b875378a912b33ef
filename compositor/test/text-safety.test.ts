import { expect } from 'chai';
import fc from 'fast-check';
import { composeSpecSchema } from '../../shared/src/compose-spec.js';
import { buildAss, escapeAssText } from '../src/render/ass-subtitles.js';
import { buildFilterGraph, ffmpegArgs } from '../src/render/filter-graph.js';
import { escapePangoMarkup } from '../src/render/text-image.js';
import { computeTimeline } from '../src/render/timeline.js';

const NASTY = ["'", ':', ',', ';', '[', ']', '\\', '%', '{', '}', '=', '\n', '\r', '\t', 'N', 'n', 'h', '😀', 'é', '\u2028', '<', '>', '&', '"', '$', '`'];
const nastyText = fc
  .array(fc.oneof(fc.constantFrom(...NASTY), fc.string({ unit: 'grapheme', maxLength: 3 })), { minLength: 1, maxLength: 40 })
  .map((parts) => parts.join(''))
  .filter((t) => t.trim().length > 0 && [...t].length <= 500);

/** What libass shows for an event text: escapes resolved; an override block would be a failure. */
function libassVisible(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '{') throw new Error(`unescaped override block at ${i}`);
    if (c === '\\') {
      const next = text[i + 1];
      if (next === 'N' || next === '{' || next === '}') {
        out += next === 'N' ? '\n' : next;
        i++;
      } else if (next === 'n' || next === 'h') throw new Error(`escape \\${next} reached libass`);
      else out += '\\';
      continue;
    }
    if (c === '\u2060') continue;
    out += c;
  }
  return out;
}

function graphFor(text: string) {
  const spec = composeSpecSchema.parse({
    output: { aspect: '16:9', durationSec: 4, width: 320, height: 180 },
    segments: [{ url: 'http://o/a' }],
    captions: { cues: [{ startSec: 0, endSec: 1, text }] },
    textOverlays: [{ text, startSec: 0, endSec: 1 }],
    watermark: { text },
  });
  const timeline = computeTimeline(spec, [{ durationSec: 4, hasAudio: true }]);
  return ffmpegArgs(buildFilterGraph({ spec, timeline, assets: { segments: ['/w/s0'], captions: '/w/c.ass', overlays: ['/w/o0.png'], watermark: '/w/wm.png' }, fontsDir: '/f', outputPath: '/w/out.mp4', useXfade: false }));
}

describe('user text safety', () => {
  it('escapes ASS override blocks, escapes and newlines so the text renders literally', () => {
    expect(escapeAssText('a{\\b1}b\nc\\N')).to.equal('a\\{\\\u2060b1\\}b\\Nc\\\u2060N');
    expect(libassVisible(escapeAssText('50% {off}; [x]=y, \\n'))).to.equal('50% {off}; [x]=y, \\n');
  });

  it('escapes Pango markup', () => {
    expect(escapePangoMarkup(`<b>Tom & "Jerry's"</b>`)).to.equal('&lt;b&gt;Tom &amp; &quot;Jerry&#39;s&quot;&lt;/b&gt;');
  });

  it('generated text: the filter graph and arguments never depend on caption, overlay or watermark text', () => {
    const reference = graphFor('placeholder');
    fc.assert(
      fc.property(nastyText, (text) => {
        expect(graphFor(text)).to.deep.equal(reference);
      }),
      { numRuns: 300 },
    );
  });

  it('generated text: every cue stays one Dialogue line and libass sees exactly the text', () => {
    fc.assert(
      fc.property(fc.array(nastyText, { minLength: 1, maxLength: 5 }), (texts) => {
        const ass = buildAss({ cues: texts.map((text, i) => ({ startSec: i, endSec: i + 1, text })), style: 'bold', size: { width: 320, height: 180 } });
        const lines = ass.split('\n');
        const dialogues = lines.filter((l) => l.startsWith('Dialogue: '));
        expect(dialogues).to.have.length(texts.length);
        expect(lines.filter((l) => l.startsWith('Style: '))).to.have.length(1);
        dialogues.forEach((line, i) => {
          const text = line.split(',').slice(9).join(',');
          const expected = texts[i].replace(/\r\n|\r|\n|\u2028|\u2029|\u0085/g, '\n').replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
          expect(libassVisible(text)).to.equal(expected);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('generated text: Pango sees no markup', () => {
    fc.assert(
      fc.property(nastyText, (text) => {
        const escaped = escapePangoMarkup(text);
        expect(escaped).to.not.match(/[<>"']/);
        expect(escaped.replace(/&(amp|lt|gt|quot|#39);/g, '')).to.not.contain('&');
      }),
    );
  });
});
