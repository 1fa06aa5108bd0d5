import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiHarness, type ApiHarness } from './support/api-harness.ts';

describe('serving the web UI', () => {
  let h: ApiHarness;
  let dist: string;
  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'updraft-ui-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), '<!doctype html><title>Updraft</title>');
    writeFileSync(join(dist, 'assets', 'app-123.js'), 'console.log("ui")');
    // A sibling of the dist folder, which a traversal would reach.
    writeFileSync(join(dist, '..', `${basename(dist)}-outside.txt`), 'OUTSIDE');
    h = await createApiHarness({ dagFiles: [], uiDistDir: dist });
  });
  afterAll(async () => {
    await h.close();
    rmSync(dist, { recursive: true, force: true });
    rmSync(join(dist, '..', `${basename(dist)}-outside.txt`), { force: true });
  });

  it('serves files, falls back to index.html for app paths, and keeps /api 404s as problems', async () => {
    const index = await h.app.inject({ method: 'GET', url: '/' });
    expect(index.headers['content-type']).toContain('text/html');
    expect(index.body).toContain('<title>Updraft</title>');
    const asset = await h.app.inject({ method: 'GET', url: '/assets/app-123.js' });
    expect(asset.headers['content-type']).toContain('javascript');
    expect(asset.headers['cache-control']).toContain('immutable');
    const route = await h.app.inject({ method: 'GET', url: '/dags/tutorial/grid' });
    expect(route.body).toContain('<title>Updraft</title>');
    const api = await h.app.inject({ method: 'GET', url: '/api/v1/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.headers['content-type']).toContain('application/problem+json');
  });

  it('never serves files outside the dist folder', async () => {
    const outside = `${basename(dist)}-outside.txt`;
    for (const url of [`/../${outside}`, `/%2E%2E/${outside}`, `/assets/..%2F..%2F${outside}`, '/%00']) {
      const response = await h.app.inject({ method: 'GET', url });
      expect(response.statusCode, url).toBeLessThan(500);
      expect(response.body, url).not.toContain('OUTSIDE');
    }
  });
});
