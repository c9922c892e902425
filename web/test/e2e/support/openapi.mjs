// Checks the API's answers against docs/openapi.json (the schemas every response has):
// a JSON body of a successful call must match its operation's response schema.
import Ajv from 'ajv';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './server.mjs';

const doc = JSON.parse(fs.readFileSync(path.join(repoRoot, 'docs/openapi.json'), 'utf8'));

// OpenAPI 3.0's "nullable" as JSON Schema: anyOf [the schema, null].
function jsonSchema(s) {
  if (Array.isArray(s)) return s.map(jsonSchema);
  if (!s || typeof s !== 'object') return s;
  const out = {};
  for (const [k, v] of Object.entries(s)) if (k !== 'nullable') out[k] = jsonSchema(v);
  return s.nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

const ajv = new Ajv({ strict: false, validateFormats: false, allErrors: true });
ajv.addSchema({ $id: 'api', components: { schemas: jsonSchema(doc.components.schemas) } });

const operations = [];
for (const [template, item] of Object.entries(doc.paths)) {
  for (const [method, op] of Object.entries(item)) {
    const success = Object.entries(op.responses).find(([code]) => code.startsWith('2'));
    const schema = success?.[1].content?.['application/json']?.schema;
    const re = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
    operations.push({ method: method.toUpperCase(), re, id: op.operationId, ref: schema?.$ref });
  }
}

/** The operation a request is, or undefined. */
export function operationOf(method, pathname) {
  return operations.find((o) => o.method === method && o.re.test(pathname));
}

/** Errors of `body` against the response schema of `method pathname` ([] when it matches). */
export function responseErrors(method, pathname, body) {
  const op = operationOf(method, pathname);
  if (!op) return [`${method} ${pathname}: no such operation in docs/openapi.json`];
  if (!op.ref) return [];
  const validate = ajv.getSchema(`api${op.ref}`);
  if (!validate) return [`${op.id}: schema ${op.ref} not found`];
  if (validate(body)) return [];
  return validate.errors.map((e) => `${op.id}: ${e.instancePath || '/'} ${e.message}`);
}

/** Collects schema mismatches of the responses a Playwright page receives from /api/. */
export function watchResponses(page, mismatches) {
  page.on('response', async (response) => {
    const url = new URL(response.url());
    if (!url.pathname.startsWith('/api/') || !response.ok()) return;
    if (!(response.headers()['content-type'] ?? '').startsWith('application/json')) return;
    if (url.pathname === '/api/openapi.json') return;
    try {
      const body = await response.json();
      mismatches.push(...responseErrors(response.request().method(), url.pathname, body));
    } catch {
      // the page went away before the body was read
    }
  });
}
