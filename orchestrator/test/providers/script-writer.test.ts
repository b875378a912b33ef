import { expect } from 'chai';
import fc from 'fast-check';
import { estimateSpeechSec, promptTerms, wordsPerSecond, writeScript } from '../../src/providers/script/script-writer.js';
import { countWords } from '../../src/providers/script/speech-pace.js';

const prompt = 'Promote our new running shoes for marathon runners in Berlin';

describe('providers/script/script-writer', () => {
  it('paces at 150 words per minute × speechPace, clamped to 0.5–2.0', () => {
    expect(wordsPerSecond(1)).to.equal(2.5);
    expect(wordsPerSecond(2)).to.equal(5);
    expect(wordsPerSecond(0.5)).to.equal(1.25);
    expect(wordsPerSecond(9)).to.equal(5);
    expect(estimateSpeechSec('one two three four five', 1)).to.equal(2);
    expect(estimateSpeechSec('one, two — three!', 0.5)).to.equal(2.4);
  });

  it('scales the word count with duration and pace, near 85% of the slot', () => {
    const count = (durationSec: number, speechPace: number): number => countWords(writeScript({ prompt, durationSec, speechPace }));
    expect(count(5, 1)).to.be.lessThan(count(15, 1));
    expect(count(15, 1)).to.be.lessThan(count(30, 1));
    expect(count(15, 0.5)).to.be.lessThan(count(15, 1));
    expect(count(15, 1)).to.be.lessThan(count(15, 2));
    for (const [d, p] of [[15, 1], [30, 1], [30, 2], [15, 2]] as const) {
      const target = d * 0.85 * wordsPerSecond(p);
      expect(count(d, p)).to.be.within(Math.floor(target * 0.85), Math.ceil(target));
    }
  });

  it('speaks the prompt: a hook with its words, a benefit and a call to action', () => {
    const s = writeScript({ prompt, durationSec: 15, speechPace: 1 });
    expect(s).to.contain('running shoes');
    expect(s).to.contain('Berlin');
    expect(s.split(/(?<=[.!?])\s+/).length).to.be.at.least(3);
    expect(s).to.match(/[.!?]$/);
  });

  it('is deterministic, and style changes the voice', () => {
    expect(writeScript({ prompt, durationSec: 30, speechPace: 1.2 })).to.equal(writeScript({ prompt, durationSec: 30, speechPace: 1.2 }));
    expect(writeScript({ prompt, durationSec: 15, speechPace: 1, style: 'calm' })).to.not.equal(writeScript({ prompt, durationSec: 15, speechPace: 1, style: 'luxury' }));
  });

  it('splits the prompt into what the ad is about and what it says about it, dropping instructions', () => {
    expect(promptTerms('Make a video about a cozy bakery at dawn, warm bread and smiling staff')).to.deep.equal({ topic: 'cozy bakery at dawn', details: 'warm bread and smiling staff' });
    expect(promptTerms('Promote our new running shoes for marathon runners in Berlin')).to.deep.equal({ topic: 'our new running shoes', details: 'for marathon runners in Berlin' });
    expect(promptTerms('Dental clinic in Lisbon offering same-day whitening')).to.deep.equal({ topic: 'dental clinic in Lisbon', details: 'offering same-day whitening' });
    expect(promptTerms('A sunrise over a quiet harbour')).to.deep.equal({ topic: 'sunrise over a quiet harbour', details: '' });
    expect(promptTerms('!!!')).to.deep.equal({ topic: 'something new', details: '' });
  });

  it('reads as sentences: the hook names the topic, the prompt’s description follows', () => {
    const s = writeScript({ prompt: 'Fresh sourdough from our corner bakery, warm and golden every morning', durationSec: 15, speechPace: 1, style: 'promo' });
    const sentences = s.split(/(?<=[.!?])\s+/);
    expect(sentences[0]).to.contain('fresh sourdough from our corner bakery');
    expect(sentences[1]).to.equal('Warm and golden every morning.');
  });

  it('never overruns the slot, for any prompt, duration and pace (property)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 5, maxLength: 500 }), fc.constantFrom(5, 15, 30), fc.double({ min: 0.5, max: 2, noNaN: true }), (p, d, pace) => {
        const s = writeScript({ prompt: p, durationSec: d, speechPace: pace });
        expect(estimateSpeechSec(s, pace)).to.be.at.most(d * 0.85 + 0.5);
        expect(countWords(s)).to.be.greaterThan(0);
      }),
      { numRuns: 200 },
    );
  });
});
