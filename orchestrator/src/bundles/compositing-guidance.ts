import { promptTerms } from '../providers/script/index.js';
import type { AspectRatio } from '../videos/video-repository.js';
import type { CompositingGuidance, Shot } from './bundle-types.js';

/** Fractions of the frame kept clear of text: vertical video leaves room for the app's own buttons. */
export const SAFE_AREAS: Record<AspectRatio, CompositingGuidance['safeAreas']> = {
  '16:9': { top: 0.05, bottom: 0.1, left: 0.05, right: 0.05 },
  '9:16': { top: 0.12, bottom: 0.2, left: 0.06, right: 0.06 },
  '1:1': { top: 0.08, bottom: 0.12, left: 0.06, right: 0.06 },
};

const CALM_WORDS = /\b(calm|relax\w*|spa|yoga|tea|meditat\w*|sleep|gentle|quiet|luxury|elegant|wellness|garden)\b/iu;
const CORPORATE_WORDS = /\b(corporate|business|bank\w*|financ\w*|law|legal|consult\w*|software|saas|insurance|b2b|accounting|enterprise)\b/iu;

export function musicMood(input: { style: string; prompt: string }): CompositingGuidance['musicMood'] {
  const style = input.style.toLowerCase();
  if (['calm', 'luxury', 'elegant', 'relaxed'].includes(style)) return 'calm';
  if (['corporate', 'business', 'professional'].includes(style)) return 'corporate';
  if (['energetic', 'upbeat', 'fun'].includes(style)) return 'upbeat';
  if (CORPORATE_WORDS.test(input.prompt)) return 'corporate';
  if (CALM_WORDS.test(input.prompt)) return 'calm';
  return 'upbeat';
}

/** Cuts `text` to at most `max` code points on a word boundary. */
export function clip(text: string, max: number): string {
  const chars = [...text.trim()];
  if (chars.length <= max) return text.trim();
  const cut = chars.slice(0, max).join('');
  const space = cut.lastIndexOf(' ');
  return (space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/u, '');
}

function lastSentence(script: string): string {
  const sentences = script.trim().split(/(?<=[.!?])\s+/u).filter(Boolean);
  return sentences[sentences.length - 1] ?? script;
}

/** Transitions, a text overlay proposal, music mood, caption style and safe areas for the composite. */
export function compositingGuidance(input: { prompt: string; style: string; script: string; aspectRatio: AspectRatio; shots: Shot[] }): CompositingGuidance {
  const mood = musicMood(input);
  const energetic = mood === 'upbeat' && input.style.toLowerCase() !== 'promo';
  const first = input.shots[0]!;
  const last = input.shots[input.shots.length - 1]!;
  const topic = promptTerms(input.prompt).topic;
  const headline = clip(topic.charAt(0).toUpperCase() + topic.slice(1), 42);
  const cta = clip(lastSentence(input.script), 42);
  const textOverlays: CompositingGuidance['textOverlays'] = [
    { text: headline, startSec: first.startSec, endSec: Math.min(first.endSec, first.startSec + 3), position: 'top' },
  ];
  if (cta && last !== first) textOverlays.push({ text: cta, startSec: last.startSec, endSec: last.endSec, position: 'center' });
  return {
    transitions: energetic ? { type: 'cut', durationSec: 0 } : { type: 'fade', durationSec: mood === 'calm' ? 0.75 : 0.5 },
    textOverlays,
    musicMood: mood,
    captionStyle: input.aspectRatio === '9:16' || energetic ? 'bold' : 'clean',
    safeAreas: SAFE_AREAS[input.aspectRatio],
  };
}
