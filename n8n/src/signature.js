// Shared by the two verify Code nodes: build_workflows.py puts this file in front of each.
// Stripe and our API sign the same way: header `t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>`
// (several v1 values allowed while a secret rotates).

// The request's exact bytes: in-memory binary mode carries base64, filesystem/S3 modes an id
// to resolve. null when the request had no body.
async function rawBody(item) {
  const bin = item.binary && item.binary.data;
  if (!bin) return null;
  return bin.id ? await helpers.getBinaryDataBuffer(0, 'data') : Buffer.from(bin.data, 'base64');
}

// { ts, sigs }: ts is null unless the header has a numeric t=, sigs the v1= values.
function parseSignature(header) {
  let ts = null;
  const sigs = [];
  for (const part of String(header || '').split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't' && /^\d+$/.test(value)) ts = Number(value);
    else if (key === 'v1') sigs.push(value);
  }
  return { ts, sigs };
}

// Whether one of `sigs` is the MAC of `raw` at `ts`, compared in constant time.
function signatureMatches(secret, ts, raw, sigs) {
  const { createHmac, timingSafeEqual } = require('crypto');
  const expected = createHmac('sha256', secret).update(`${ts}.`).update(raw).digest();
  return sigs.some((s) => {
    const given = Buffer.from(s, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}

