/**
 * The web UI in a real browser (Debian's Chromium via playwright-core) against `updraft standalone`:
 * log in, unpause and trigger the tutorial DAG with a param changed in the generated form, watch the
 * run turn green in the grid without reloading, read the rendered lines in the `templated` task's
 * log, and see a broken DAG file's import error appear and go once it is fixed. Screenshots of the
 * main pages go to test-artifacts/screenshots/ for people to look at.
 */
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, type Browser } from './support/chromium.ts';
import { startStandalone, type StandaloneServer } from './support/standalone-server.ts';
import { ensureUiBuilt } from './support/ui-build.ts';

const SCREENSHOTS = fileURLToPath(new URL('../../test-artifacts/screenshots/', import.meta.url));
const MY_PARAM = 'Greetings from the browser test';
const BROKEN_DAG = `import { dag } from 'updraft';\nexport default dag({ dagId: 'half_written', schedule: null }, () => { this is not valid }\n`;
const FIXED_DAG = `import { BashOperator, dag } from 'updraft';\nexport default dag({ dagId: 'half_written', schedule: null, tags: ['fixed'] }, () => {\n  new BashOperator({ taskId: 'hello', bashCommand: 'echo hello' });\n});\n`;

let server: StandaloneServer;
let browser: Browser;
let page: Page;
let runId = '';

async function screenshot(name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

describe.sequential('web UI in Chromium', () => {
  beforeAll(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    ensureUiBuilt();
    server = await startStandalone((dagsFolder) => copyFileSync(fileURLToPath(new URL('./fixtures/warehouse-refresh.ts', import.meta.url)), join(dagsFolder, 'warehouse-refresh.ts')));
    browser = await launchChromium();
    page = await browser.context.newPage();
    page.setDefaultTimeout(30_000);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  }, 60_000);

  test('logs in as the standalone admin and lists the example DAGs', async () => {
    await page.goto(server.url);
    await page.getByLabel('Username').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBeTruthy();
    await page.getByLabel('Password').fill(server.adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('tr[data-dag-id="tutorial"]').waitFor();
    expect(await page.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    await screenshot('dag-list');
  });

  test('unpauses and triggers the tutorial DAG with a param changed in the form', async () => {
    const row = page.locator('tr[data-dag-id="tutorial"]');
    const toggle = row.getByRole('switch');
    expect(await toggle.getAttribute('aria-checked')).toBe('false');
    await toggle.click();
    await expect.poll(() => toggle.getAttribute('aria-checked')).toBe('true');

    await row.getByRole('button', { name: 'Trigger tutorial' }).click();
    const param = page.locator('#param-my_param');
    await expect.poll(() => param.inputValue()).toBe('Parameter I passed in');
    await param.fill(MY_PARAM);
    await screenshot('trigger-dialog');
    await page.getByRole('button', { name: 'Trigger', exact: true }).click();
    await page.waitForURL(/\/dags\/tutorial\?run=/);
    runId = new URL(page.url()).searchParams.get('run') ?? '';
    expect(runId).not.toBe('');
    await expect.poll(() => page.getByTestId('run-conf').textContent()).toContain(MY_PARAM);
  });

  test('the run turns green in the grid without reloading', async () => {
    // A marker in the page's globals survives in-app navigation but not a reload.
    await page.evaluate(() => Object.assign(globalThis, { updraftNoReload: true }));
    await page.locator(`.grid-run[data-run-id="${runId}"]`).waitFor();
    // Open the `sleep` task while it runs: its log follows the ?follow=true stream until it ends.
    const sleepCell = page.locator(`.grid-cell[data-run-id="${runId}"][data-task-id="sleep"]`);
    await page.locator(`.grid-cell[data-run-id="${runId}"][data-task-id="sleep"][data-state="running"]`).waitFor({ timeout: 60_000 });
    await sleepCell.click();
    await page.getByTestId('ti-panel').waitFor();
    await expect.poll(() => page.getByTestId('log').textContent(), { timeout: 60_000 }).toMatch(/finished: state=success/);
    await page.locator(`.grid-run[data-run-id="${runId}"][data-state="success"]`).waitFor({ timeout: 90_000 });
    for (const task of ['print_date', 'sleep', 'templated']) {
      expect(await page.locator(`.grid-cell[data-run-id="${runId}"][data-task-id="${task}"]`).getAttribute('data-state')).toBe('success');
    }
    expect(await page.evaluate(() => (globalThis as Record<string, unknown>)['updraftNoReload'])).toBe(true);
    await screenshot('grid');
  }, 120_000);

  test("the templated task's log shows the rendered lines", async () => {
    await page.locator(`.grid-cell[data-run-id="${runId}"][data-task-id="templated"]`).click();
    const log = page.getByTestId('log');
    await expect.poll(() => log.textContent(), { timeout: 30_000 }).toContain(MY_PARAM);
    const text = (await log.textContent()) ?? '';
    expect(text).not.toContain('{{');
    expect(text).toMatch(/\d{4}-\d{2}-\d{2}/);
    await screenshot('log');
    // The search keeps only matching lines: the five echoed lines plus the command that printed them.
    const allLines = await page.locator('.log-line').count();
    await page.getByLabel('Search the log').fill('Greetings');
    await expect.poll(() => page.locator('.log-line').count()).toBeLessThan(allLines);
    for (const line of await page.locator('.log-line').allTextContents()) expect(line).toContain('Greetings');
    await page.getByLabel('Search the log').fill('');
    await page.getByRole('tab', { name: 'Rendered' }).click();
    await expect.poll(() => page.getByTestId('rendered-fields').textContent()).toContain(MY_PARAM);
  });

  test('the graph shows the tasks coloured by the run', async () => {
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.locator('.graph-task[data-state="success"]').first().waitFor();
    expect(await page.locator('.graph-task').count()).toBe(3);
    await page.waitForTimeout(300); // fitView animates once after layout
    await screenshot('graph');
    await page.getByRole('tab', { name: 'Gantt' }).click();
    await page.getByTestId('gantt').waitFor();
    await screenshot('gantt');
  });

  test('task groups collapse in the grid and frame their tasks in the graph', async () => {
    await page.goto(`${server.url}/dags/warehouse_refresh`);
    await page.getByRole('switch', { name: 'Unpause warehouse_refresh' }).click();
    await page.getByRole('button', { name: '▶ Trigger' }).click();
    await page.getByText('This DAG declares no params.').waitFor();
    await page.getByRole('button', { name: 'Trigger', exact: true }).click();
    await page.waitForURL(/run=/);
    const groupRunId = new URL(page.url()).searchParams.get('run') ?? '';
    await page.locator(`.grid-run[data-run-id="${groupRunId}"][data-state="success"]`).waitFor({ timeout: 90_000 });
    const extract = page.locator('.grid-label.group', { hasText: 'extract' }).first();
    expect(await extract.getAttribute('aria-expanded')).toBe('true');
    expect(await page.locator('.grid-cell[data-task-id="extract.files.invoices"]').count()).toBe(1);
    await screenshot('grid-groups');
    await extract.click();
    await expect.poll(() => page.locator('.grid-cell[data-task-id="extract.files.invoices"]').count()).toBe(0);
    expect(await page.locator('.grid-cell.group[data-task-id="extract"]').getAttribute('data-state')).toBe('success');
    await extract.click();
    await page.getByRole('tab', { name: 'Graph' }).click();
    await page.locator('.graph-group').first().waitFor();
    expect(await page.locator('.graph-group').count()).toBe(3);
    await page.waitForTimeout(300);
    await screenshot('graph-groups');
  }, 120_000);

  test('a broken DAG file shows the import-error banner until it is fixed', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'DAGs' }).click();
    const banner = page.getByTestId('import-errors');
    const file = join(server.dagsFolder, 'half_written.ts');
    writeFileSync(file, BROKEN_DAG);
    await banner.waitFor({ timeout: 60_000 });
    await banner.getByRole('button', { name: 'Show details' }).click();
    expect(await banner.textContent()).toContain('half_written.ts');
    await screenshot('import-error');
    writeFileSync(file, FIXED_DAG);
    await banner.waitFor({ state: 'detached', timeout: 60_000 });
    await page.locator('tr[data-dag-id="half_written"]').waitFor();
  }, 150_000);

  test('admin pages list and edit variables, connections, pools and users', async () => {
    await page.goto(`${server.url}/admin/variables`);
    await page.getByRole('button', { name: '+ Add variable' }).click();
    await page.getByLabel('Key').fill('warehouse_schema');
    await page.getByLabel('Value', { exact: true }).fill('analytics');
    await page.getByLabel('Description', { exact: true }).fill('Schema the nightly loads write to');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'warehouse_schema' }).waitFor();
    await screenshot('admin-variables');

    await page.getByRole('link', { name: 'Connections' }).click();
    await page.getByRole('button', { name: '+ Add connection' }).click();
    await page.getByLabel('Connection id').fill('warehouse');
    await page.getByLabel('Host').fill('db.internal');
    await page.getByLabel('Port').fill('5432');
    await page.getByLabel('Login').fill('loader');
    await page.getByLabel('Password', { exact: true }).fill('s3cret-password');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('cell', { name: 'warehouse' }).waitFor();
    expect(await page.content()).not.toContain('s3cret-password');
    await screenshot('admin-connections');

    await page.getByRole('link', { name: 'Pools' }).click();
    await page.getByRole('cell', { name: 'default_pool' }).waitFor();
    await screenshot('admin-pools');

    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: 'admin', exact: true }).waitFor();
    await screenshot('admin-users');

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('cell', { name: runId }).waitFor();
    await screenshot('runs');
  });

  test('an API error shows its problem detail in a toast', async () => {
    await page.getByRole('button', { name: 'Admin ▾' }).click();
    await page.getByRole('menuitem', { name: 'Variables' }).click();
    await page.getByRole('button', { name: '+ Add variable' }).click();
    await page.getByLabel('Key').fill('x'.repeat(300));
    await page.getByRole('button', { name: 'Save' }).click();
    const toast = page.locator('.toast.error');
    await toast.waitFor();
    expect(await toast.textContent()).toMatch(/key/i);
    await page.keyboard.press('Escape');
  });

  test('the dark theme', async () => {
    await page.goto(`${server.url}/dags/tutorial?run=${encodeURIComponent(runId)}`);
    await page.getByRole('button', { name: 'Switch to dark theme' }).click();
    expect(await page.locator('html').getAttribute('data-theme')).toBe('dark');
    await page.locator(`.grid-run[data-run-id="${runId}"]`).waitFor();
    await screenshot('grid-dark');
  });
});
