import { expect } from 'chai';
import { signBody, verifyBodySignature, signPath, verifySignedPath } from '../src/signing.js';

describe('signing', () => {
  const secret = 's3cret';
  it('verifies a body it signed and rejects a changed body', () => {
    const h = signBody(secret, '{"a":1}', 1000);
    expect(verifyBodySignature({ secret, rawBody: '{"a":1}', timestamp: h['x-timestamp'], signature: h['x-signature'], nowSec: 1000 }).ok).to.equal(true);
    const bad = verifyBodySignature({ secret, rawBody: '{"a":2}', timestamp: h['x-timestamp'], signature: h['x-signature'], nowSec: 1000 });
    expect(bad).to.deep.equal({ ok: false, reason: 'X-Signature does not match the body.' });
  });
  it('rejects stale timestamps, malformed signatures and another secret', () => {
    const h = signBody(secret, 'x', 1000);
    expect(verifyBodySignature({ secret, rawBody: 'x', timestamp: h['x-timestamp'], signature: h['x-signature'], nowSec: 1301 }).ok).to.equal(false);
    expect(verifyBodySignature({ secret, rawBody: 'x', timestamp: '1000', signature: 'v1=zz', nowSec: 1000 }).ok).to.equal(false);
    expect(verifyBodySignature({ secret: 'other', rawBody: 'x', timestamp: h['x-timestamp'], signature: h['x-signature'], nowSec: 1000 }).ok).to.equal(false);
  });
  it('signs paths with an expiry and refuses tampering or expiry', () => {
    const url = signPath(secret, '/internal/sources/vid_1', 2000);
    const u = new URL(url, 'http://h');
    const ok = verifySignedPath({ secret, path: u.pathname, exp: u.searchParams.get('exp'), sig: u.searchParams.get('sig'), nowSec: 1999 });
    expect(ok.ok).to.equal(true);
    expect(verifySignedPath({ secret, path: '/internal/sources/vid_2', exp: u.searchParams.get('exp'), sig: u.searchParams.get('sig'), nowSec: 1999 }).ok).to.equal(false);
    expect(verifySignedPath({ secret, path: u.pathname, exp: u.searchParams.get('exp'), sig: u.searchParams.get('sig'), nowSec: 2001 })).to.deep.equal({ ok: false, reason: 'The URL has expired.' });
  });
});
