import { createHash } from 'node:crypto';
import { clampPace, countWords, estimateSpeechSec, wordsPerSecond } from './speech-pace.js';

export { estimateSpeechSec, wordsPerSecond } from './speech-pace.js';

export interface ScriptRequest {
  prompt: string;
  durationSec: number;
  /** Multiplier 0.5–2.0 of 150 words per minute; default 1.0. */
  speechPace?: number;
  style?: string;
}

/** Narration fills about 85% of the slot, leaving room for the voice to start late and end clean. */
export const SPEECH_FILL = 0.85;

const STOP = new Set(
  ('a an the and or but of for to in on at by with from into over under about as is are be been being this that these those ' +
    'it its our your my their we you i me us they them he she his her make create show showing shows video commercial ad advert ' +
    'promo promote promoting featuring feature features clip about please some very really just').split(' '),
);

interface Voice {
  hooks: string[];
  benefits: string[];
  ctas: string[];
}

const VOICES: Record<string, Voice> = {
  promo: {
    hooks: ['Meet {topic}.', 'Say hello to {topic}.', 'Looking for {topic}?', 'Discover {topic}.'],
    benefits: ['{Topic} brings {details} to your day.', 'Made for people who love {details}.', 'All the {details} you want, none of the hassle.'],
    ctas: ['Try it today.', 'Get yours now.', 'Visit us today.', 'Book now and see for yourself.'],
  },
  energetic: {
    hooks: ['Ready for {topic}?', 'This is {topic}!', 'Big news: {topic}!'],
    benefits: ['{Topic} means {details}, fast.', 'Turn up the {details}.', 'More {details}, every single time.'],
    ctas: ['Go get it now!', "Don't wait, try it today!", 'Jump in today!'],
  },
  calm: {
    hooks: ['Take a moment for {topic}.', 'Imagine {topic}.', 'Slow down with {topic}.'],
    benefits: ['{Topic} brings gentle {details} to your day.', 'Simple {details}, thoughtfully made.', 'Room to breathe, with {details}.'],
    ctas: ['Come and see when you are ready.', 'Visit us soon.', 'Find your moment today.'],
  },
  luxury: {
    hooks: ['Introducing {topic}.', 'Experience {topic}.', 'Crafted for the few: {topic}.'],
    benefits: ['{Topic} is {details}, refined.', 'Every detail of {details}, perfected.', 'Uncompromising {details}, made to last.'],
    ctas: ['Reserve yours today.', 'Discover it in person.', 'Request your invitation now.'],
  },
};

// Sentences that stretch a script to a longer slot; generic on purpose so any prompt fits.
const FILLERS = [
  'Quality you can see and feel.',
  'Crafted with care, every single time.',
  'Simple, reliable, and ready when you are.',
  'Discover what makes it different.',
  'Your neighbours already love it.',
  'It is easier than you think.',
  'Every detail is made to delight you.',
  'Friendly people, honest prices, real results.',
  'See the difference from the very first moment.',
  'Designed around the way you live.',
  'Trusted by locals who know quality.',
  'Fresh ideas, delivered with a smile.',
  'Because you deserve something better.',
  'Small touches make a big difference.',
  'Made here, with pride and attention.',
  'Good things are worth sharing.',
  'Start today and feel the change.',
  'Join the people who already made the switch.',
  'Built to last, priced to please.',
  'One visit is all it takes.',
  'Your day just got a little brighter.',
  'We listen, we care, and we deliver.',
  'Come for the quality, stay for the experience.',
  'Everything you need, right where you need it.',
];

/**
 * Deterministic local script writer: a hook, a benefit and a call to action
 * built from the prompt's own words, stretched or trimmed to about 85% of the
 * slot at 150 words per minute × speechPace.
 */
export function writeScript(req: ScriptRequest): string {
  const pace = clampPace(req.speechPace ?? 1);
  const target = Math.max(3, Math.round(req.durationSec * SPEECH_FILL * wordsPerSecond(pace)));
  const voice = VOICES[(req.style ?? 'promo').toLowerCase()] ?? VOICES.promo!;
  const seed = createHash('sha256').update(`${req.style ?? ''}\u0000${req.prompt}`).digest();
  const { topic, details } = promptTerms(req.prompt);

  const fill = (template: string): string =>
    template.replaceAll('{topic}', topic).replaceAll('{Topic}', capitalize(topic)).replaceAll('{details}', details);
  const hook = fill(pick(voice.hooks, seed[0]!));
  const room = target - countWords(hook);
  // Short slots: the preferred call to action, else the longest that still fits, else the hook alone.
  const preferred = fill(pick(voice.ctas, seed[1]!));
  const cta =
    countWords(preferred) <= room
      ? preferred
      : voice.ctas.map(fill).filter((c) => countWords(c) <= room).sort((a, b) => countWords(b) - countWords(a))[0];
  if (cta === undefined) return fitWords(hook, target);
  const middle = [...rotate(voice.benefits, seed[2]!).map(fill), ...rotate(FILLERS, seed[3]!)];

  const base = countWords(hook) + countWords(cta);
  const chosen: string[] = [];
  let words = base;
  for (const sentence of middle) {
    const n = countWords(sentence);
    if (words + n <= target) {
      chosen.push(sentence);
      words += n;
    }
  }
  return [hook, ...chosen, cta].join(' ');
}

/** The script's expected speaking time; exported for callers that size audio. */
export function scriptSpeechSec(script: string, speechPace = 1): number {
  return estimateSpeechSec(script, speechPace);
}

/** Topic = the prompt's first three content words; details = the next three (or the topic). */
export function promptTerms(prompt: string): { topic: string; details: string } {
  const words = prompt
    .normalize('NFC')
    .split(/[^\p{L}\p{N}'-]+/u)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter((w) => w.length > 1 && !STOP.has(w.toLowerCase()));
  // Keep names ("Berlin") and acronyms as written; only the prompt's opening word loses its capital.
  const lower = words.map((w, i) => (i === 0 && prompt.trimStart().startsWith(w) && w !== w.toUpperCase() ? w.toLowerCase() : w));
  const topic = lower.slice(0, 3).join(' ') || 'something new';
  const details = lower.slice(3, 6).join(' ') || topic;
  return { topic, details };
}

/** Cuts to `max` words, ending on a full stop. */
function fitWords(text: string, max: number): string {
  const words = text.split(/\s+/).filter(Boolean).slice(0, max);
  const joined = words.join(' ').replace(/[,;:]$/, '');
  return /[.!?]$/.test(joined) ? joined : `${joined}.`;
}

function pick<T>(items: T[], n: number): T {
  return items[n % items.length]!;
}

function rotate<T>(items: T[], n: number): T[] {
  const k = n % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
