/**
 * How the official client is addressed: "owner/name" goes to
 * POST /models/{owner}/{name}/predictions (the model's latest version);
 * a version id — bare or as "owner/name:version" — goes to POST /predictions.
 */
export type ModelRef = { model: `${string}/${string}` } | { version: string };

export function parseModelRef(ref: string): ModelRef {
  const trimmed = ref.trim();
  const named = /^([^/\s:]+)\/([^/\s:]+)(?::(\S+))?$/.exec(trimmed);
  if (named) return named[3] ? { version: named[3] } : { model: `${named[1]}/${named[2]}` };
  if (/^[A-Za-z0-9]+$/.test(trimmed)) return { version: trimmed };
  throw new Error(`REPLICATE_MODEL must be "owner/name", "owner/name:version" or a version id (got "${ref}").`);
}
