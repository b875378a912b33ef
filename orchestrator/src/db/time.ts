/** Calendar-month billing periods in UTC, and ISO timestamps as stored. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

export function periodOf(now: Date = new Date()): string {
  return now.toISOString().slice(0, 7);
}

export function periodBounds(period: string): { start: string; end: string } {
  const [y, m] = period.split('-').map(Number);
  return { start: new Date(Date.UTC(y, m - 1, 1)).toISOString(), end: new Date(Date.UTC(y, m, 1)).toISOString() };
}

/** JSON columns are text on both databases; parse tolerantly. */
export function parseJson<T>(value: unknown, fallback: T): T {
  if (value === null || value === undefined || value === '') return fallback;
  if (typeof value !== 'string') return value as T;
  try {
    return JSON.parse(value) as T;
  } catch {
    return fallback;
  }
}
