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

// Instructions to the video maker, not words of the ad: "Make a video about …", "Promote …".
const INSTRUCTION = /^(?:please\s+)?(?:make|create|produce|generate|show|promote|advertise|film)\s+(?:(?:an?|the)\s+)?(?:(?:short\s+)?(?:video|ad|advert|commercial|promo|clip|spot)\s+)?(?:(?:about|of|for|showing|featuring|on)\s+)?/i;
// Where a one-clause prompt turns from the thing to what is said about it.
const CONNECTORS = new Set(['for', 'with', 'made', 'that', 'which', 'who', 'where', 'offering', 'featuring', 'from', 'serving', 'delivering', 'helping']);
const LEADING_ARTICLE = /^(?:a|an|the)\s+/i;

interface Voice {
  hooks: string[];
  benefits: string[];
  ctas: string[];
}

// The prompt's own description ("{Details}.") comes first after the hook; these follow it.
const VOICES: Record<string, Voice> = {
  promo: {
    hooks: ['Meet {topic}.', 'Say hello to {topic}.', 'Looking for {topic}?', 'Discover {topic}.'],
    benefits: ['Made for people who expect more.', 'All the good parts, none of the hassle.', '{Topic}, the way it should be.'],
    ctas: ['Try it today.', 'Get yours now.', 'Visit us today.', 'Book now and see for yourself.'],
  },
  energetic: {
    hooks: ['Ready for {topic}?', 'This is {topic}!', 'Big news: {topic}!'],
    benefits: ['Turn it up.', 'More of what you love, every single time.', '{Topic}, at full speed.'],
    ctas: ['Go get it now!', "Don't wait, try it today!", 'Jump in today!'],
  },
  calm: {
    hooks: ['Take a moment for {topic}.', 'Imagine {topic}.', 'Slow down with {topic}.'],
    benefits: ['Simple, and thoughtfully made.', 'Room to breathe.', '{Topic}, at your own pace.'],
    ctas: ['Come and see when you are ready.', 'Visit us soon.', 'Find your moment today.'],
  },
  luxury: {
    hooks: ['Introducing {topic}.', 'Experience {topic}.', 'Crafted for the few: {topic}.'],
    benefits: ['Every detail, perfected.', 'Uncompromising, and made to last.', '{Topic}, refined.'],
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

  const fill = (template: string): string => template.replaceAll('{topic}', topic).replaceAll('{Topic}', capitalize(topic));
  const hook = fill(pick(voice.hooks, seed[0]!));
  const room = target - countWords(hook);
  // Short slots: the preferred call to action, else the longest that still fits, else the hook alone.
  const preferred = fill(pick(voice.ctas, seed[1]!));
  const cta =
    countWords(preferred) <= room
      ? preferred
      : voice.ctas.map(fill).filter((c) => countWords(c) <= room).sort((a, b) => countWords(b) - countWords(a))[0];
  if (cta === undefined) return fitWords(hook, target);
  const described = details ? [`${capitalize(details)}.`] : [];
  const middle = [...described, ...rotate(voice.benefits, seed[2]!).map(fill), ...rotate(FILLERS, seed[3]!)];

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

/**
 * Topic = what the ad is about (the prompt's first clause, or up to a
 * connector such as "for" or "made"); details = what the prompt says about it
 * (the rest), empty when it says nothing more. Instructions such as "Make a
 * video about" are dropped; words keep their own case except the opening one.
 */
export function promptTerms(prompt: string): { topic: string; details: string } {
  const body = prompt.normalize('NFC').replace(/\s+/g, ' ').trim().replace(INSTRUCTION, '');
  const clauses = body
    .split(/[,.;:!?()"]+|\s[-–—]\s/)
    .map(cleanWords)
    .filter((words) => words.length > 0);
  let head = clauses[0] ?? [];
  let tail = clauses.slice(1).flat();
  if (tail.length === 0) {
    const cut = head.findIndex((w, i) => i >= 2 && CONNECTORS.has(w.toLowerCase()));
    if (cut > 0) [head, tail] = [head.slice(0, cut), head.slice(cut)];
  }
  const opening = head.join(' ').replace(LEADING_ARTICLE, '').split(' ').filter(Boolean);
  if (opening[0] && opening[0] !== opening[0].toUpperCase()) opening[0] = opening[0].charAt(0).toLowerCase() + opening[0].slice(1);
  const topic = opening.slice(0, 8).join(' ') || 'something new';
  return { topic, details: tail.slice(0, 10).join(' ') };
}

function cleanWords(clause: string): string[] {
  return clause
    .split(/[^\p{L}\p{N}'&-]+/u)
    .map((w) => w.replace(/^['-]+|['-]+$/g, ''))
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
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
