import { expect } from 'chai';
import fc from 'fast-check';
import { buildCues, captionPhrases, speechWindow, wrapLines, MAX_LINE_CHARS } from '../../src/captions/cue-builder.js';

const cp = (s: string) => [...s].length;

/** The invariants every cue list must keep, whatever the script and timing. */
function checkInvariants(cues: ReturnType<typeof buildCues>, input: { durationSec: number; script: string }) {
  let prevEnd = 0;
  for (const c of cues) {
    expect(c.startSec, 'start ≥ 0').to.be.at.least(0);
    expect(c.endSec, 'end ≤ duration').to.be.at.most(input.durationSec);
    expect(c.endSec, 'positive length').to.be.greaterThan(c.startSec);
    expect(c.startSec, 'ordered, no overlap').to.be.at.least(prevEnd);
    prevEnd = c.endSec;
    const lines = c.text.split('\n');
    expect(lines.length, 'at most 2 lines').to.be.within(1, 2);
    for (const line of lines) {
      expect(cp(line), `line "${line}" ≤ 42 code points`).to.be.within(1, MAX_LINE_CHARS);
      expect(line).to.equal(line.trim());
    }
  }
  // Nothing lost or reordered: the cues read back as the script's words.
  const words = input.script.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/gu, ' ').split(/\s+/u).filter(Boolean).join('');
  expect(cues.map((c) => c.text.replace(/\s+/gu, '')).join('')).to.equal(words);
}

describe('captions/cue-builder', () => {
  it('splits at sentences and clauses into phrases of at most two 42-character lines', () => {
    const script =
      'Meet Bella Bakery. Fresh sourdough, warm croissants and the best coffee in town, baked every single morning before sunrise by people who care. Visit us today!';
    const phrases = captionPhrases(script);
    expect(phrases[0]).to.equal('Meet Bella Bakery.');
    expect(phrases[phrases.length - 1]).to.equal('Visit us today!');
    for (const p of phrases) for (const line of p.split('\n')) expect(cp(line)).to.be.at.most(42);
    expect(phrases.some((p) => p.includes('\n'))).to.equal(true);
  });

  it('wraps greedily and refuses a third line', () => {
    expect(wrapLines(['a', 'b'])).to.deep.equal(['a b']);
    expect(wrapLines(['x'.repeat(42), 'y'])).to.deep.equal(['x'.repeat(42), 'y']);
    expect(wrapLines(['x'.repeat(42), 'y'.repeat(42), 'z'])).to.equal(null);
  });

  it('counts code points: emoji and accents fill a line like letters', () => {
    const cues = buildCues({ script: `${'🎬'.repeat(60)} ${'é'.repeat(50)}`, durationSec: 15, voiceStartSec: 0.5, speechSec: 5 });
    for (const c of cues) for (const line of c.text.split('\n')) expect(cp(line)).to.be.at.most(42);
    expect(cues.map((c) => c.text.replace(/\n/g, '')).join('')).to.equal('🎬'.repeat(60) + 'é'.repeat(50));
  });

  it('starts at the voice start and spans the narration length', () => {
    const cues = buildCues({ script: 'One two three. Four five six seven. Eight nine ten!', durationSec: 15, voiceStartSec: 2, speechSec: 6 });
    expect(cues[0]!.startSec).to.equal(2);
    expect(cues[cues.length - 1]!.endSec).to.equal(8);
  });

  it('compresses narration that would run past the end into the remaining time', () => {
    const cues = buildCues({ script: 'A long script. '.repeat(20), durationSec: 5, voiceStartSec: 1, speechSec: 40 });
    expect(cues[0]!.startSec).to.equal(1);
    expect(cues[cues.length - 1]!.endSec).to.equal(5);
  });

  it('a voice starting at the very end still gets a one-second window inside the video', () => {
    expect(speechWindow({ durationSec: 5, voiceStartSec: 5, speechSec: 3 })).to.deep.equal({ start: 4, end: 5 });
    expect(speechWindow({ durationSec: 5, voiceStartSec: 0, speechSec: 0 })).to.deep.equal({ start: 0, end: 5 });
  });

  it('keeps hostile characters as text', () => {
    const script = "It's 100% real: {a} = [b]; c \\ d, e\nnew line";
    const cues = buildCues({ script, durationSec: 15, voiceStartSec: 0.5, speechSec: 4 });
    expect(cues.map((c) => c.text.replace(/\n/g, ' ')).join(' ')).to.equal("It's 100% real: {a} = [b]; c \\ d, e new line");
  });

  it('property: cues are ordered, non-overlapping, inside the video, ≤ 2 lines of ≤ 42 code points, and lose no word', () => {
    const word = fc.oneof(
      fc.string({ minLength: 1, maxLength: 12, unit: 'grapheme-ascii' }),
      fc.string({ minLength: 1, maxLength: 60, unit: 'grapheme' }),
      fc.constantFrom('Hello,', 'world.', 'Really?', '🎬🍞', 'ÉTÉ;', '{x}=%', '\n', 'x'.repeat(90)),
    );
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 120 }).map((ws) => ws.join(' ')),
        fc.constantFrom(5, 15, 30),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.oneof(fc.double({ min: 0, max: 120, noNaN: true }), fc.constant(0)),
        (script, durationSec, startFraction, speechSec) => {
          fc.pre([...script].length <= 2000);
          const cues = buildCues({ script, durationSec, voiceStartSec: startFraction * durationSec, speechSec });
          checkInvariants(cues, { durationSec, script });
          if (script.trim()) expect(cues.length).to.be.greaterThan(0);
          expect(cues.length).to.be.at.most(400); // the compose spec's cue limit
        },
      ),
      { numRuns: 300 },
    );
  });

  it('property: 2000 characters of one-letter sentences stay within the compose spec limit of 400 cues', () => {
    const script = 'a. '.repeat(666).trim();
    const cues = buildCues({ script, durationSec: 5, voiceStartSec: 0, speechSec: 100 });
    checkInvariants(cues, { durationSec: 5, script });
    expect(cues.length).to.be.at.most(400);
  });
});
