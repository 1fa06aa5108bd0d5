import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { inProcessOpenApiDocument, renderApiTypes, SCHEMA_FILE } from '../../ui/scripts/generate-api-types.ts';

// STYLE.md item 11: the UI's typed client is generated from the server's OpenAPI document and
// never hand-edited. When this fails, run `npm run ui:api-types` and commit the result.
test('ui/src/api/schema.d.ts matches the OpenAPI document the server generates now', async () => {
  const generated = await renderApiTypes(await inProcessOpenApiDocument());
  expect(generated.length).toBeGreaterThan(1000);
  expect(readFileSync(SCHEMA_FILE, 'utf8') === generated, 'schema.d.ts is stale: run `npm run ui:api-types`').toBe(true);
});
