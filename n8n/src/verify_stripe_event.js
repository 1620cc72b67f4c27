// Verify Stripe's signature (Stripe-Signature: t=...,v1=<hex HMAC-SHA256 of '<t>.<raw body>'>,
// secret STRIPE_WEBHOOK_SECRET), map the event to a subscription change (same rules as
// core/stripe_events.py) and sign the callback body for POST /api/webhooks/subscription with
// COURSEGEN_SUBSCRIPTION_SECRET. Routes: 0 rejected, 1 ignored event type, 2 forward to the API.
// signature.js (rawBody, parseSignature, signatureMatches) stands in front of this code.
const crypto = require('crypto');
const TOLERANCE = Number($env.STRIPE_WEBHOOK_TOLERANCE || 300);
const stripeSecret = $env.STRIPE_WEBHOOK_SECRET;
const apiSecret = $env.COURSEGEN_SUBSCRIPTION_SECRET;
const item = $input.first();
const headers = item.json.headers || {};
const reject = (status, code, message) => [{ json: { route: 0, status, error: { code, message } } }];

if (!stripeSecret || !apiSecret) {
  return reject(503, 'webhooks_disabled', 'STRIPE_WEBHOOK_SECRET / COURSEGEN_SUBSCRIPTION_SECRET unset');
}
const raw = await rawBody(item);
if (!raw) return reject(400, 'invalid_payload', 'empty body');

const { ts, sigs } = parseSignature(headers['stripe-signature']);
if (ts === null || sigs.length === 0) return reject(400, 'invalid_signature', 'bad Stripe-Signature');
if (!signatureMatches(stripeSecret, ts, raw, sigs)) {
  return reject(400, 'invalid_signature', 'Stripe signature does not match');
}
// Stripe's own libraries only refuse old timestamps.
if (ts < Date.now() / 1000 - TOLERANCE) return reject(400, 'invalid_signature', 'timestamp too old');

let event;
try {
  event = JSON.parse(raw.toString('utf8'));
} catch (e) {
  return reject(400, 'invalid_payload', 'signed body is not JSON');
}
if (!event || typeof event !== 'object' || !event.data || typeof event.data !== 'object') {
  return reject(400, 'invalid_payload', 'signed body is not a Stripe event');
}

const PRO = new Set(['active', 'trialing', 'past_due']);
const iso = (s) => (typeof s === 'number' ? new Date(s * 1000).toISOString().replace('.000Z', 'Z') : null);
const obj = event.data.object || {};
const meta = obj.metadata || {};
let change;
if (event.type === 'checkout.session.completed') {
  const paid = ['paid', 'no_payment_required'].includes(obj.payment_status);
  change = {
    userId: obj.client_reference_id || meta.userId || null,
    email: obj.customer_email || (obj.customer_details || {}).email || null,
    tier: paid ? 'pro' : 'free',
    status: paid ? 'active' : 'incomplete',
    endsAt: null,
  };
} else if (event.type === 'customer.subscription.updated') {
  const status = String(obj.status || 'canceled');
  // Pre-2025-03-31 API versions: period end on the subscription; later: on its items.
  let periodEnd = obj.current_period_end || null;
  if (!periodEnd) {
    const ends = ((obj.items || {}).data || []).map((i) => i.current_period_end).filter(Boolean);
    periodEnd = ends.length ? Math.max(...ends) : null;
  }
  change = {
    userId: meta.userId || null,
    email: meta.email || null,
    tier: PRO.has(status) ? 'pro' : 'free',
    status,
    endsAt: iso(obj.cancel_at) || iso(periodEnd),
  };
} else if (event.type === 'customer.subscription.deleted') {
  change = {
    userId: meta.userId || null,
    email: meta.email || null,
    tier: 'free',
    status: 'canceled',
    endsAt: iso(obj.ended_at) || iso(obj.canceled_at),
  };
} else {
  return [{ json: { route: 1, status: 200, ignored: event.type } }];
}

const body = { tier: change.tier, status: change.status, eventId: String(event.id || '') };
if (change.userId) body.userId = change.userId;
if (change.email) body.email = change.email;
if (change.endsAt) body.endsAt = change.endsAt;
const bodyText = JSON.stringify(body);
const now = Math.floor(Date.now() / 1000);
const mac = crypto.createHmac('sha256', apiSecret).update(`${now}.${bodyText}`).digest('hex');
return [{
  json: {
    route: 2,
    status: 200,
    eventId: body.eventId,
    type: event.type,
    change: body,
    body: bodyText,
    signature: `t=${now},v1=${mac}`,
  },
}];
