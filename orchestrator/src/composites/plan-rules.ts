import type { Business, Plan } from '../auth/account-repository.js';

export const DEFAULT_WATERMARK = 'NearIQ';

/** What the commercial would carry before the plan has its say. */
export interface OverlayWish {
  voice: boolean;
  premiumNarration: boolean;
  music: boolean;
  textOverlays: boolean;
}

export interface PlanDecision {
  allowed: OverlayWish;
  /** Names of what was asked for (or implied by the bundle) and removed by the plan. */
  dropped: Array<keyof OverlayWish>;
  notes: string[];
}

/** Drops every overlay the plan does not allow, and says so in words a client can show. */
export function applyPlan(plan: Plan, wish: OverlayWish): PlanDecision {
  const dropped: Array<keyof OverlayWish> = [];
  const notes: string[] = [];
  const allowed = { ...wish };
  const drop = (key: keyof OverlayWish, note: string) => {
    allowed[key] = false;
    dropped.push(key);
    notes.push(note);
  };
  if (wish.voice && !plan.allowVoice) {
    drop('voice', `The ${plan.name} plan does not include voice narration; upgrade to pro or agency to add it.`);
    allowed.premiumNarration = false;
  } else if (wish.premiumNarration && !plan.premiumNarration) {
    drop('premiumNarration', `The ${plan.name} plan does not include premium narration; the standard voice is used instead.`);
  }
  if (wish.premiumNarration && !wish.voice) allowed.premiumNarration = false;
  if (wish.music && !plan.allowMusic) drop('music', `The ${plan.name} plan does not include background music; upgrade to add it.`);
  if (wish.textOverlays && !plan.allowText) drop('textOverlays', `The ${plan.name} plan does not include text overlays; upgrade to add them.`);
  return { allowed, dropped, notes };
}

/**
 * The watermark text a plan puts on the output: on plans that may set their
 * own, the request's text, else the business's saved text; otherwise "NearIQ"
 * when the plan requires a watermark, none when it does not.
 */
export function watermarkFor(plan: Plan, business: Pick<Business, 'watermarkText'>, requested?: string): string | undefined {
  const own = plan.customWatermark ? (requested?.trim() || business.watermarkText?.trim()) : undefined;
  if (own) return own;
  return plan.watermarkRequired ? DEFAULT_WATERMARK : undefined;
}

/** A note when a request asks for its own watermark text on a plan that may not set one. */
export function watermarkNote(plan: Plan, requested?: string): string | undefined {
  if (!requested || plan.customWatermark) return undefined;
  return `The ${plan.name} plan cannot set its own watermark text; ${plan.watermarkRequired ? `the "${DEFAULT_WATERMARK}" watermark was used` : 'no watermark was added'}. The agency plan can.`;
}
