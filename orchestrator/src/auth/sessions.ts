import jwt from 'jsonwebtoken';
import { AppError } from '../../../shared/src/errors.js';

export interface SessionClaims {
  userId: string;
  businessId: string | null;
}

/** Dashboard session tokens: HS256 JWTs with sub, businessId and exp. */
export function issueSessionToken(secret: string, input: { userId: string; businessId: string | null; ttlSec: number }): string {
  return jwt.sign({ businessId: input.businessId }, Buffer.from(secret, 'utf8'), {
    algorithm: 'HS256',
    subject: input.userId,
    expiresIn: input.ttlSec,
  });
}

export function verifySessionToken(secret: string, token: string): SessionClaims {
  let payload: jwt.JwtPayload | string;
  try {
    // Only HS256: `none` and every other algorithm are refused by the list.
    payload = jwt.verify(token, Buffer.from(secret, 'utf8'), { algorithms: ['HS256'] });
  } catch (err) {
    const expired = err instanceof jwt.TokenExpiredError;
    throw new AppError('unauthorized', expired ? 'The session token has expired; sign in again.' : 'The session token is invalid; sign in again.');
  }
  if (typeof payload === 'string' || typeof payload.sub !== 'string' || payload.sub === '') {
    throw new AppError('unauthorized', 'The session token has no subject; sign in again.');
  }
  if (typeof payload.exp !== 'number') {
    throw new AppError('unauthorized', 'The session token has no expiry; sign in again.');
  }
  const businessId = typeof payload.businessId === 'string' && payload.businessId !== '' ? payload.businessId : null;
  return { userId: payload.sub, businessId };
}
