// Record the event id only after the e-mail went out, so a failed send is retried by the API's
// dispatcher (n8n answers 500) while a successful one is never repeated. Ids older than 7 days
// are dropped: the dispatcher never resends that late.
const data = $getWorkflowStaticData('global');
const handled = { ...(data.handledEventIds || {}) };
const now = Date.now();
for (const [id, at] of Object.entries(handled)) {
  if (now - at > 7 * 24 * 3600 * 1000) delete handled[id];
}
const eventId = $('Verify signature').first().json.eventId;
if (eventId) handled[eventId] = now;
data.handledEventIds = handled; // reassign so n8n notices the change and persists it
return [{ json: { ok: true, eventId } }];
