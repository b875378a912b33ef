import { z } from 'zod';
import { AppError } from '../../../shared/src/errors.js';
import { firstIssue } from '../../../shared/src/compose-spec.js';

/** Parses a request body or query with one schema; the first issue becomes a 400 naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw new AppError('validation_failed', 'The request body must be a JSON object.', { field: 'body' });
  }
  const result = schema.safeParse(input);
  if (!result.success) {
    const issue = result.error.issues[0];
    const custom = issue.message;
    const { field } = firstIssue(result.error);
    // Schemas word their messages as whole sentences that name the field.
    throw new AppError('validation_failed', custom, { field });
  }
  return result.data;
}

/** Counts Unicode code points, not UTF-16 units or bytes. */
export function codePoints(text: string): number {
  return [...text].length;
}
