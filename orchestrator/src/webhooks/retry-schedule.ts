/**
 * Delay before attempt n+1 after n failed attempts: base · 2^(n-1), capped,
 * with up to 10 % jitter so a receiver coming back is not hit by every
 * retry at the same instant. `null` when no attempt is left.
 */
export function nextRetryDelay(input: { failedAttempts: number; maxAttempts: number; baseMs: number; maxMs: number; random?: () => number }): number | null {
  if (input.failedAttempts >= input.maxAttempts) return null;
  const exp = Math.min(input.baseMs * 2 ** Math.max(0, input.failedAttempts - 1), input.maxMs);
  const jitter = Math.floor(exp * 0.1 * (input.random ?? Math.random)());
  return Math.min(exp + jitter, input.maxMs);
}
