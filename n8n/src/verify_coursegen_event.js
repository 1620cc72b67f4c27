// Verify the API's X-Coursegen-Signature ("t=<unix>,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>")
// on the exact raw bytes, refuse stale timestamps, skip event ids already handled, and route:
// 0 rejected, 1 duplicate, 2 user.signed_up, 3 course.completed, 4 any other type (acknowledged).
// Needs NODE_FUNCTION_ALLOW_BUILTIN=crypto and COURSEGEN_WEBHOOK_SECRET (= the API's
// N8N_WEBHOOK_SECRET).
// signature.js (rawBody, parseSignature, signatureMatches) stands in front of this code.
const TOLERANCE = Number($env.COURSEGEN_WEBHOOK_TOLERANCE || 300);
const secret = $env.COURSEGEN_WEBHOOK_SECRET;
const item = $input.first();
const headers = item.json.headers || {};
const reject = (status, code, message) => [{ json: { route: 0, status, error: { code, message } } }];

if (!secret) return reject(503, 'webhooks_disabled', 'COURSEGEN_WEBHOOK_SECRET is not set');
const raw = await rawBody(item);
if (!raw) return reject(400, 'invalid_payload', 'empty body');

const { ts, sigs } = parseSignature(headers['x-coursegen-signature']);
if (ts === null || sigs.length === 0) {
  return reject(401, 'invalid_signature', 'missing or malformed X-Coursegen-Signature');
}
if (!signatureMatches(secret, ts, raw, sigs)) {
  return reject(401, 'invalid_signature', 'signature does not match the payload');
}
if (Math.abs(Date.now() / 1000 - ts) > TOLERANCE) {
  return reject(409, 'replayed', `timestamp outside the ${TOLERANCE}s tolerance window`);
}

let event;
try {
  event = JSON.parse(raw.toString('utf8'));
} catch (e) {
  return reject(400, 'invalid_payload', 'body is not JSON');
}
const eventId = String(headers['x-coursegen-event-id'] || event.id || '');
const handled = $getWorkflowStaticData('global').handledEventIds || {};
if (eventId && handled[eventId]) {
  // A resend after the API crashed between our 2xx and its commit: acknowledge, do nothing.
  return [{ json: { route: 1, status: 200, eventId, duplicate: true } }];
}
const routes = { 'user.signed_up': 2, 'course.completed': 3 };
const p = event.payload || {};
return [{
  json: {
    route: routes[event.type] ?? 4,
    status: 200,
    eventId,
    type: event.type,
    email: p.email || '',
    name: p.name || '',
    courseId: p.courseId || '',
    title: p.title || 'your course',
    payload: p,
  },
}];
