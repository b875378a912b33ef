import { promptTerms } from '../providers/script/index.js';
import type { Duration } from '../videos/video-repository.js';
import type { Shot } from './bundle-types.js';

type Role = 'hook' | 'product' | 'benefit' | 'proof' | 'cta';

/** Shot boundaries as fractions of the slot: short slots get fewer, longer shots. */
const PLANS: Record<Duration, Array<{ role: Role; until: number }>> = {
  5: [
    { role: 'hook', until: 0.5 },
    { role: 'cta', until: 1 },
  ],
  15: [
    { role: 'hook', until: 4 / 15 },
    { role: 'benefit', until: 11 / 15 },
    { role: 'cta', until: 1 },
  ],
  30: [
    { role: 'hook', until: 5 / 30 },
    { role: 'product', until: 12 / 30 },
    { role: 'benefit', until: 19 / 30 },
    { role: 'proof', until: 25 / 30 },
    { role: 'cta', until: 1 },
  ],
};

const DESCRIBE: Record<Role, (t: { topic: string; details: string }) => string> = {
  hook: ({ topic }) => `Hook: a bold opening shot of ${topic} that grabs attention in the first seconds.`,
  product: ({ topic }) => `Product: ${topic} in clear close-ups, shown as the hero of the frame.`,
  benefit: ({ details }) => `Benefit: ${details} in action, showing what the viewer gains.`,
  proof: ({ topic }) => `Proof: happy people enjoying ${topic}, warm and authentic.`,
  cta: ({ topic }) => `Call to action: a clean closing shot of ${topic} with room for the offer text.`,
};

/** Source shots covering 0 → duration without gaps: 2 for 5 s, 3 for 15 s, 5 for 30 s. */
export function planShots(input: { prompt: string; duration: Duration }): Shot[] {
  const { topic, details } = promptTerms(input.prompt);
  const terms = { topic, details: details || topic };
  const plan = PLANS[input.duration];
  let start = 0;
  return plan.map((step, index) => {
    // The last shot ends exactly on the duration, whatever the rounding.
    const end = index === plan.length - 1 ? input.duration : Math.round(step.until * input.duration * 10) / 10;
    const shot: Shot = { index, startSec: start, endSec: end, description: DESCRIBE[step.role](terms) };
    start = end;
    return shot;
  });
}
