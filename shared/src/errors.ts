/**
 * One error catalog for both services. Every error body on every route is
 * `{"error": {"code", "message", "field"?}}`; the catalog fixes the HTTP
 * status of each code so handlers only ever say *what* went wrong.
 */
export const ERROR_CATALOG = {
  invalid_request: 400,
  invalid_json: 400,
  validation_failed: 400,
  missing_active_business: 400,
  unauthorized: 401,
  invalid_signature: 401,
  forbidden: 403,
  plan_not_allowed: 403,
  insufficient_scope: 403,
  team_permission_required: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  range_not_satisfiable: 416,
  credits_exhausted: 429,
  internal_error: 500,
  bad_gateway: 502,
  not_configured: 503,
  unavailable: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOG;

export interface ErrorBody {
  error: { code: string; message: string; field?: string };
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly field?: string;
  readonly headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, options: { field?: string; headers?: Record<string, string> } = {}) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.status = ERROR_CATALOG[code];
    this.field = options.field;
    this.headers = options.headers;
  }

  toBody(): ErrorBody {
    return errorBody(this.code, this.message, this.field);
  }
}

export function errorBody(code: string, message: string, field?: string): ErrorBody {
  return { error: field ? { code, message, field } : { code, message } };
}

export function isAppError(err: unknown): err is AppError {
  return err instanceof AppError;
}
