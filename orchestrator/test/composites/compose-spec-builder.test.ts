import { expect } from 'chai';
import { composeSpecSchema } from '../../../shared/src/compose-spec.js';
import type { Plan } from '../../src/auth/account-repository.js';
import { buildClipsSpec, buildSingleSpec } from '../../src/composites/compose-spec-builder.js';
import { hashJobToken } from '../../src/composites/composite-repository.js';
import { DEFAULT_AUDIO } from '../../src/composites/composite-service.js';
import { applyPlan, watermarkFor } from '../../src/composites/plan-rules.js';
import { newSecretToken } from '../../src/db/ids.js';

const plan = (name: string, p: Partial<Plan>): Plan => ({
  name,
  monthlyCredits: 100,
  watermarkRequired: false,
  allowVoice: true,
  allowMusic: true,
  allowText: true,
  premiumNarration: true,
  customWatermark: false,
  ...p,
});
const STARTER = plan('starter', { monthlyCredits: 20, watermarkRequired: true, allowVoice: false, premiumNarration: false });
const PRO = plan('pro', {});
const AGENCY = plan('agency', { monthlyCredits: 500, customWatermark: true });
const FREE = plan('free', { monthlyCredits: 0, watermarkRequired: true, allowVoice: false, allowMusic: false, allowText: false, premiumNarration: false });

const SRC = 'http://orch.test/internal/sources/vid_1?exp=99&sig=ab';
const VOICE = 'http://orch.test/internal/narration/n.wav?exp=99&sig=cd';
const MUSIC = 'http://orch.test/internal/music/calm?exp=99&sig=ef';
const CUES = [{ startSec: 0.5, endSec: 3, text: 'Fresh bread' }];
const OVERLAY = { text: 'Corner Bakery', startSec: 0.5, endSec: 3, position: 'top' as const };
const ALL = { voice: true, premiumNarration: false, music: true, textOverlays: true };

/** Plan decision + builder, as the service does it. */
function single(p: Plan, business: { watermarkText: string | null } = { watermarkText: null }) {
  const d = applyPlan(p, ALL);
  const spec = buildSingleSpec({
    reference: 'cmp_1',
    duration: 15,
    aspect: '16:9',
    watermarkText: watermarkFor(p, business),
    sourceUrl: SRC,
    audioConfig: DEFAULT_AUDIO,
    voiceUrl: d.allowed.voice ? VOICE : undefined,
    musicUrl: d.allowed.music ? MUSIC : undefined,
    captions: { cues: CUES, style: 'bold' },
    textOverlays: d.allowed.textOverlays ? [OVERLAY] : [],
  });
  expect(composeSpecSchema.safeParse(spec).success, 'valid compose spec').to.equal(true);
  return { d, spec };
}

describe('compose-spec builder and plan rules', () => {
  it('starter: music + captions + NearIQ watermark; voice dropped and said so', () => {
    const { d, spec } = single(STARTER);
    expect(d.dropped).to.deep.equal(['voice']);
    expect(d.notes).to.deep.equal(['The starter plan does not include voice narration; upgrade to pro or agency to add it.']);
    expect(spec).to.deep.equal({
      output: { aspect: '16:9', durationSec: 15, fps: 30, toleranceSec: 0.1 },
      segments: [{ url: SRC }],
      transition: { type: 'cut', durationSec: 0 },
      captions: { cues: CUES, style: 'bold', burnIn: true },
      audio: { nativeVolume: 0.5, music: { url: MUSIC, volume: 0.25, startSec: 0 } },
      textOverlays: [OVERLAY],
      watermark: { text: 'NearIQ', position: 'bottom-right', opacity: 0.6 },
      reference: 'cmp_1',
    });
  });

  it('pro: voice, music, overlays, no watermark', () => {
    const { d, spec } = single(PRO);
    expect(d.dropped).to.deep.equal([]);
    expect(spec).to.deep.equal({
      output: { aspect: '16:9', durationSec: 15, fps: 30, toleranceSec: 0.1 },
      segments: [{ url: SRC }],
      transition: { type: 'cut', durationSec: 0 },
      captions: { cues: CUES, style: 'bold', burnIn: true },
      audio: { nativeVolume: 0.5, voice: { url: VOICE, volume: 1, startSec: 0.5 }, music: { url: MUSIC, volume: 0.25, startSec: 0 } },
      textOverlays: [OVERLAY],
      reference: 'cmp_1',
    });
  });

  it("agency: the business's own watermark text; none when it set none", () => {
    expect(single(AGENCY, { watermarkText: 'Acme Studio' }).spec.watermark).to.deep.equal({ text: 'Acme Studio', position: 'bottom-right', opacity: 0.6 });
    expect(single(AGENCY).spec.watermark).to.equal(undefined);
    // Custom text is ignored on plans that may not set one.
    expect(watermarkFor(STARTER, { watermarkText: 'Mine' })).to.equal('NearIQ');
  });

  it('free plan rules drop every overlay; premium narration dropped where the plan lacks it', () => {
    expect(applyPlan(FREE, ALL).dropped).to.deep.equal(['voice', 'music', 'textOverlays']);
    expect(applyPlan(plan('basic', { premiumNarration: false }), { ...ALL, premiumNarration: true })).to.deep.include({
      allowed: { voice: true, premiumNarration: false, music: true, textOverlays: true },
      dropped: ['premiumNarration'],
    });
    expect(applyPlan(PRO, { voice: false, premiumNarration: false, music: false, textOverlays: false }).dropped).to.deep.equal([]);
  });

  it('clips with fade: in order, trimmed to equal shares only when longer than the slot, preview frame', () => {
    const clips = [0, 1, 2].map((i) => ({ url: `http://orch.test/internal/sources/vid_${i}?exp=1&sig=a`, durationSec: 5 }));
    const base = { reference: 'cmp_2', aspect: '9:16' as const, transition: { type: 'fade' as const, durationSec: 0.5 }, nativeVolume: 0.5, watermarkText: 'NearIQ' };
    const long = buildClipsSpec({ ...base, duration: 30, clips, frame: { width: 270, height: 480 }, music: { url: MUSIC, volume: 0.25, startSec: 0 } });
    expect(long).to.deep.equal({
      output: { aspect: '9:16', durationSec: 30, fps: 30, toleranceSec: 0.1, width: 270, height: 480 },
      segments: clips.map((c) => ({ url: c.url })),
      transition: { type: 'fade', durationSec: 0.5 },
      audio: { nativeVolume: 0.5, music: { url: MUSIC, volume: 0.25, startSec: 0 } },
      textOverlays: [],
      watermark: { text: 'NearIQ', position: 'bottom-right', opacity: 0.6 },
      reference: 'cmp_2',
    });
    // 3 × 5 s − 2 fades = 14 s > 5 s: each clip gets (5 + 2 × 0.5) / 3 = 2 s.
    const short = buildClipsSpec({ ...base, duration: 5, clips });
    expect(short.segments).to.deep.equal(clips.map((c) => ({ url: c.url, startSec: 0, endSec: 2 })));
    expect(short.audio).to.deep.equal({ nativeVolume: 0.5 });
    expect(composeSpecSchema.safeParse(short).success).to.equal(true);
    const cut = buildClipsSpec({ ...base, transition: { type: 'cut', durationSec: 0.5 }, duration: 5, clips: clips.slice(0, 2) });
    expect(cut.transition).to.deep.equal({ type: 'cut', durationSec: 0 });
    expect(cut.segments).to.deep.equal(clips.slice(0, 2).map((c) => ({ url: c.url, startSec: 0, endSec: 2.5 })));
  });

  it('job tokens: ≥ 128 random bits, stored only as a hash', () => {
    const a = newSecretToken('cjt');
    expect(a).to.match(/^cjt_[0-9A-Za-z]{40}$/); // 40 × log2(62) ≈ 238 bits
    expect(a).to.not.equal(newSecretToken('cjt'));
    expect(hashJobToken(a)).to.match(/^[0-9a-f]{64}$/).and.not.include(a);
  });
});
