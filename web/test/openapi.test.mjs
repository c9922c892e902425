// docs/openapi.json, judged by a validator we did not write (@apidevtools/swagger-parser):
// it is a valid OpenAPI 3.0 document, every $ref resolves, and every operation's success
// response has a schema (an object with properties, a file (PDF or ZIP), or the document itself).
import SwaggerParser from '@apidevtools/swagger-parser';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

const file = path.resolve(import.meta.dirname, '../../docs/openapi.json');

test('the OpenAPI document validates', async () => {
  const api = await SwaggerParser.validate(structuredClone(JSON.parse(fs.readFileSync(file, 'utf8'))));
  assert.equal(api.openapi, '3.0.3');
});

test('every operation has a response schema with properties', async () => {
  const api = await SwaggerParser.dereference(structuredClone(JSON.parse(fs.readFileSync(file, 'utf8'))));
  let operations = 0;
  for (const [p, item] of Object.entries(api.paths)) {
    for (const [method, op] of Object.entries(item)) {
      operations++;
      const [code, success] = Object.entries(op.responses).find(([c]) => c.startsWith('2')) ?? [];
      assert.ok(success, `${method} ${p}: no success response`);
      const content = success.content ?? {};
      const binary = content['application/pdf'] ?? content['application/zip'] ?? content['application/octet-stream'] ?? content['application/xml'];
      if (binary) {
        assert.equal(binary.schema.format, 'binary', `${op.operationId}`);
        continue;
      }
      if (content['text/csv']) {
        assert.equal(content['text/csv'].schema.type, 'string', `${op.operationId}`);
        continue;
      }
      const schema = content['application/json']?.schema;
      assert.ok(schema, `${op.operationId} ${code}: no JSON schema`);
      if (op.operationId === 'getOpenApi') continue;
      assert.equal(schema.type, 'object', `${op.operationId}: not an object`);
      assert.ok(Object.keys(schema.properties ?? {}).length > 0, `${op.operationId}: a schema without properties`);
      assert.ok((schema.required ?? []).length > 0, `${op.operationId}: no required field`);
    }
  }
  assert.ok(operations > 60, `${operations} operations`);
});
