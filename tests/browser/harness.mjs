// What the browser tests share: the environment they run in, chromium (Playwright's
// playwright-core driving Debian's chromium), a live `parley serve` on a free port for the tests
// of the web UI, and the page helpers those tests use (screenshots, waiting for an action to be
// done, the checks that no id shows where the scenario has a name).
//
// Environment: PARLEY_CLI_PATH (the parley binary), PARLEY_SOURCE_DIR, PARLEY_ARTIFACTS (where
// screenshots go), CHROMIUM (default /usr/bin/chromium). Importing this module exits 77 (skipped)
// when playwright-core or chromium is missing, so a machine without them reports a skip rather
// than a pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import assert from 'node:assert/strict';

export const cli = process.env.PARLEY_CLI_PATH;
export const source = process.env.PARLEY_SOURCE_DIR;
export const artifacts = process.env.PARLEY_ARTIFACTS || join(tmpdir(), 'parley-browser-artifacts');
const chromiumPath = process.env.CHROMIUM || '/usr/bin/chromium';

let chromium;
try {
  ({ chromium } = await import('playwright-core'));
} catch {
  console.error('playwright-core is not installed (run npm ci in tests/browser): skipped');
  process.exit(77);
}
if (!existsSync(chromiumPath)) {
  console.error(`no chromium at ${chromiumPath}: skipped`);
  process.exit(77);
}

export function launchBrowser() {
  mkdirSync(artifacts, { recursive: true });
  return chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
}

export async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

// Waits until the status line says the action labelled `label` is done.
// Selects an option, or fills a field, and makes sure it took. The page re-renders when the room
// changes (server events): an action that lands on the control a moment before the new page
// replaces it is lost (the new control shows what was there before), so it is done again.
async function settle(page, selector, value, act) {
  for (let attempt = 0; attempt < 10; attempt += 1) {
    await act();
    if (await page.locator(selector).inputValue() === value) return;
  }
  throw new Error(`${selector} did not keep the value ${value}`);
}

export async function choose(page, selector, value) {
  await settle(page, selector, value, () => page.selectOption(selector, value));
}

export async function type(page, selector, text) {
  await settle(page, selector, text, () => page.fill(selector, text));
}

export async function done(page, label) {
  await page.locator('#status').filter({ hasText: `${label}: done` }).waitFor();
}

// No snake_case id of the scenario (issue or option) shows on the page where the scenario names it.
export async function assertNoSnakeCaseIds(page, scenarioIssues) {
  const visible = await page.locator('main').innerText();
  const ids = scenarioIssues.flatMap((issue) => [issue.id, ...(issue.options || [])]).filter((id) => String(id).includes('_'));
  const shown = ids.filter((id) => new RegExp(`(^|[^\\w])${id}([^\\w]|$)`).test(visible));
  assert.deepEqual(shown, [], `ids shown instead of names: ${shown.join(', ')}`);
}

// No party id of the scenario shows on the page: the scenario's names stand for its parties in
// tables, warnings, the log and the protocol panel (issue 13: "in human words everywhere").
export async function assertNoPartyIds(page, ids) {
  const visible = await page.locator('main').innerText();
  const shown = ids.filter((id) => new RegExp(`(^|[^\\w])${id}([^\\w]|$)`).test(visible));
  assert.deepEqual(shown, [], `party ids shown instead of names: ${shown.join(', ')}`);
}

// A live server and a browser for the tests of one file: registers the hooks that start them
// before the file's tests and stop them after. The answer's fields are filled in `before`.
export function useLiveServer() {
  const live = {
    baseUrl: null,
    // Every confirmation a page asked for, accepted, in order (issue 13: a relay or an acceptance
    // of a text that crosses a red line names it and asks first).
    dialogs: new Map(),
    // Content-Security-Policy refusals any page reported (a style attribute or an inline script).
    cspViolations: [],
    adminToken: () => readFileSync(join(dir, 'admin'), 'utf8').trim(),
    // A page in its own browser context (its own session storage: one person per page).
    async newPage() {
      const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
      const page = await context.newPage();
      live.dialogs.set(page, []);
      page.on('dialog', (dialog) => { live.dialogs.get(page).push(dialog.message()); dialog.accept(); });
      page.on('pageerror', (error) => { throw error; });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) live.cspViolations.push(message.text());
      });
      return page;
    },
    // The HTTP API as a script calls it (for what a test does not walk through in the UI).
    async call(method, path, token, body) {
      const response = await fetch(`${live.baseUrl}${path}`, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    },
    // A room made by the admin from one of examples/ (with `fields` of POST /api/rooms):
    // {roomId, token} (the creator's token).
    async createRoom(example, fields = {}) {
      const created = await live.call('POST', '/api/rooms', live.adminToken(), { scenario: readFileSync(join(source, 'examples', example), 'utf8'), ...fields });
      assert.equal(created.status, 201, JSON.stringify(created.body));
      return { roomId: created.body.room.id, token: created.body.token };
    },
  };
  let server;
  let browser;
  let dir;
  const startServer = () => new Promise((resolve, reject) => {
    server = spawn(cli, ['serve', '--db', join(dir, 'parley.db'), '--listen', '127.0.0.1:0',
      '--admin-token-file', join(dir, 'admin')], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    server.stdout.on('data', (chunk) => {
      output += chunk;
      const match = output.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (match) resolve(match[1]);
    });
    server.on('exit', (code) => reject(new Error(`parley serve exited (${code}): ${output}`)));
  });
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
    live.baseUrl = await startServer();
    browser = await launchBrowser();
  });
  after(async () => {
    if (browser) await browser.close();
    if (server) server.kill('SIGTERM');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
  return live;
}
