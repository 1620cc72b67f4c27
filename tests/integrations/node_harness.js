// Run an n8n Code-node source (runOnceForAllItems) outside n8n with the globals it uses:
// $input, $env, $getWorkflowStaticData, $(), helpers, require. Reads a JSON job on stdin:
// {code, env, headers, body_b64, static}, prints {result, static}.
const fs = require('fs');
const job = JSON.parse(fs.readFileSync(0, 'utf8'));
const staticData = job.static || {};
const item = {
  json: { headers: job.headers || {}, body: {} },
  binary: job.body_b64 === null ? undefined : { data: { data: job.body_b64, mimeType: 'application/json' } },
};
const ctx = {
  $input: { first: () => item, all: () => [item] },
  $env: job.env || {},
  $getWorkflowStaticData: () => staticData,
  $: () => ({ first: () => ({ json: job.previous || {} }) }),
  helpers: { getBinaryDataBuffer: async () => Buffer.from(job.body_b64, 'base64') },
  require,
};
const AsyncFunction = Object.getPrototypeOf(async function () {}).constructor;
const fn = new AsyncFunction(...Object.keys(ctx), job.code);
fn(...Object.values(ctx))
  .then((result) => process.stdout.write(JSON.stringify({ result, static: staticData })))
  .catch((e) => { process.stderr.write(String(e && e.stack || e)); process.exit(1); });
