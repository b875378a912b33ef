import { customAlphabet } from 'nanoid';

const alphabet = '0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';
const random24 = customAlphabet(alphabet, 24);
const random40 = customAlphabet(alphabet, 40);

/** Opaque ids like `vid_3F9k…` (24 base62 chars ≈ 142 bits). */
export function newId(prefix: string): string {
  return `${prefix}_${random24()}`;
}

/** Long secret tokens (API keys, job tokens): 40 base62 chars ≈ 238 bits. */
export function newSecretToken(prefix: string): string {
  return `${prefix}_${random40()}`;
}
