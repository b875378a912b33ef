import { expect } from 'chai';
import fc from 'fast-check';
import { AUDIO_DEFAULTS, buildSourceBundle, resolveAudioConfig } from '../../src/bundles/index.js';
import { planShots } from '../../src/bundles/shot-plan.js';
import { musicMood } from '../../src/bundles/compositing-guidance.js';
import { estimateSpeechSec } from '../../src/providers/script/index.js';

describe('bundles/source bundle (pure)', () => {
  it('shots: 2 for 5 s, 3 for 15 s, 5 for 30 s, covering 0 → duration without gaps', () => {
    for (const [duration, count] of [[5, 2], [15, 3], [30, 5]] as const) {
      const shots = planShots({ prompt: 'Fresh sourdough bread at Bella Bakery', duration });
      expect(shots).to.have.length(count);
      expect(shots[0]!.startSec).to.equal(0);
      expect(shots[shots.length - 1]!.endSec).to.equal(duration);
      shots.forEach((s, i) => {
        expect(s.index).to.equal(i);
        expect(s.endSec).to.be.greaterThan(s.startSec);
        if (i > 0) expect(s.startSec).to.equal(shots[i - 1]!.endSec);
        expect(s.description).to.match(/sourdough|bread|Bella/i);
      });
    }
    expect(planShots({ prompt: 'Fresh bread', duration: 15 }).map((s) => s.description.split(':')[0])).to.deep.equal(['Hook', 'Benefit', 'Call to action']);
  });

  it('script: written to fit the slot after the voice starts at the pace, or kept verbatim', () => {
    for (const speechPace of [0.5, 1, 2]) {
      const audioConfig = resolveAudioConfig({ speechPace }, 15);
      const bundle = buildSourceBundle({ prompt: 'A cosy cafe with great coffee', duration: 15, aspectRatio: '16:9', style: 'promo', audioConfig });
      expect(bundle.scriptProvided).to.equal(false);
      expect(estimateSpeechSec(bundle.script, speechPace)).to.be.at.most(15 - audioConfig.voiceStartSec);
      expect(estimateSpeechSec(bundle.script, speechPace)).to.be.greaterThan(5);
    }
    const verbatim = '  Exactly these words,\nplease: 100% {verbatim}!  ';
    const b = buildSourceBundle({ prompt: 'A cosy cafe', duration: 5, aspectRatio: '1:1', style: 'calm', script: verbatim, audioConfig: { ...AUDIO_DEFAULTS } });
    expect(b.script).to.equal(verbatim);
    expect(b.scriptProvided).to.equal(true);
  });

  it('audioConfig: defaults filled, given values kept', () => {
    expect(resolveAudioConfig(undefined, 15)).to.deep.equal({ speechPace: 1, pitch: 1, voiceVolume: 1, musicVolume: 0.25, nativeVolume: 0.5, voiceStartSec: 0.5, musicStartSec: 0 });
    expect(resolveAudioConfig({ pitch: 1.5, musicStartSec: 2 }, 5)).to.include({ pitch: 1.5, musicStartSec: 2, speechPace: 1 });
  });

  it('compositing guidance: safe areas per aspect, mood from style and prompt, overlays inside the video', () => {
    const vertical = buildSourceBundle({ prompt: 'Yoga studio opening', duration: 30, aspectRatio: '9:16', style: 'promo', audioConfig: { ...AUDIO_DEFAULTS } });
    expect(vertical.compositing.safeAreas.bottom).to.be.greaterThan(0.15);
    expect(vertical.compositing.captionStyle).to.equal('bold');
    expect(vertical.compositing.musicMood).to.equal('calm');
    const wide = buildSourceBundle({ prompt: 'Accounting software for small business', duration: 15, aspectRatio: '16:9', style: 'promo', audioConfig: { ...AUDIO_DEFAULTS } });
    expect(wide.compositing.musicMood).to.equal('corporate');
    expect(wide.compositing.captionStyle).to.equal('clean');
    expect(wide.compositing.transitions).to.deep.equal({ type: 'fade', durationSec: 0.5 });
    const energetic = buildSourceBundle({ prompt: 'Trampoline park party', duration: 5, aspectRatio: '1:1', style: 'energetic', audioConfig: { ...AUDIO_DEFAULTS } });
    expect(energetic.compositing.transitions.type).to.equal('cut');
    expect(musicMood({ style: 'luxury', prompt: 'Trampoline' })).to.equal('calm');
  });

  it('property: any prompt gives shots without gaps and overlays of ≤ 42 code points inside the video', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 5, maxLength: 500, unit: 'grapheme' }), fc.constantFrom(5, 15, 30) as fc.Arbitrary<5 | 15 | 30>, fc.constantFrom('16:9', '9:16', '1:1') as fc.Arbitrary<'16:9' | '9:16' | '1:1'>, (prompt, duration, aspectRatio) => {
        const b = buildSourceBundle({ prompt, duration, aspectRatio, style: 'promo', audioConfig: { ...AUDIO_DEFAULTS } });
        expect(b.shots[0]!.startSec).to.equal(0);
        expect(b.shots[b.shots.length - 1]!.endSec).to.equal(duration);
        for (let i = 1; i < b.shots.length; i++) expect(b.shots[i]!.startSec).to.equal(b.shots[i - 1]!.endSec);
        expect(b.script.trim()).to.not.equal('');
        for (const o of b.compositing.textOverlays) {
          expect([...o.text].length).to.be.within(1, 42);
          expect(o.endSec).to.be.greaterThan(o.startSec);
          expect(o.endSec).to.be.at.most(duration);
        }
      }),
      { numRuns: 150 },
    );
  });
});
