// A whole live negotiation in the web UI, driven by Playwright (playwright-core with Debian's
// chromium): the mediator creates a room from a scenario file, invites two delegations that join
// in separate browser contexts, proposals and a text flow between them, both accept clause by
// clause, and every page shows the agreement. Screenshots go to PARLEY_ARTIFACTS.
//
// Environment: PARLEY_CLI_PATH (the parley binary), PARLEY_SOURCE_DIR, PARLEY_ARTIFACTS,
// CHROMIUM (default /usr/bin/chromium). Exits 77 (skipped) when playwright-core or chromium is
// missing, so a machine without them reports a skip rather than a pass.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';

const cli = process.env.PARLEY_CLI_PATH;
const source = process.env.PARLEY_SOURCE_DIR;
const artifacts = process.env.PARLEY_ARTIFACTS || join(tmpdir(), 'parley-browser-artifacts');
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

let server;
let baseUrl;
let browser;
let dir;

function startServer() {
  return new Promise((resolve, reject) => {
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
}

before(async () => {
  mkdirSync(artifacts, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'parley-browser-'));
  baseUrl = await startServer();
  browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function newPage() {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => { throw error; });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
}

async function done(page, label) {
  await page.locator('#status').filter({ hasText: `${label}: done` }).waitFor();
}

test('mediator and two delegations reach an agreement in the browser', async () => {
  const admin = readFileSync(join(dir, 'admin'), 'utf8').trim();
  const scenarioPath = join(source, 'examples', 'ceasefire.yaml');

  // The mediator creates the room from the scenario file and opens the mediator's link.
  const mediator = await newPage();
  await mediator.goto(`${baseUrl}/#token=${admin}`);
  await mediator.setInputFiles('#scenario-file', scenarioPath);
  await mediator.locator('#scenario-text').evaluate((area) => area.value.length > 0 || new Promise((r) => setTimeout(r, 200)));
  await assert.doesNotReject(mediator.locator('#scenario-text').inputValue());
  await mediator.click('#create-room');
  await done(mediator, 'Create room');
  const mediatorLink = await mediator.locator('a.invite').first().getAttribute('href');
  await shot(mediator, '01-admin');
  await mediator.goto(mediatorLink);
  await mediator.locator('#invite').waitFor();

  // It invites both delegations; each opens its link in its own browser context.
  const links = {};
  for (const party of ['israel', 'hamas']) {
    await mediator.selectOption('#invite-party', party);
    await mediator.click('#invite');
    await mediator.locator(`#invite-${party}`).waitFor();
    links[party] = await mediator.locator(`#invite-${party}`).textContent();
  }
  const delegations = {};
  for (const party of ['israel', 'hamas']) {
    delegations[party] = await newPage();
    await delegations[party].goto(links[party]);
    await delegations[party].locator('#send-proposal').waitFor();
  }

  // Each delegation accepts the scenario's preferences and proposes.
  const proposals = { israel: 'time_limited_pause', hamas: 'permanent_up_front' };
  for (const [party, page] of Object.entries(delegations)) {
    await page.click('#accept-preferences');
    await done(page, 'Accept the scenario\'s preferences');
    await page.selectOption('#proposal-ceasefire', proposals[party]);
    await page.fill('#proposal-note', `${party} opening`);
    await page.click('#send-proposal');
    await done(page, 'Send proposal');
  }
  // The mediator sees both positions live, drafts a compromise and relays it.
  const positions = mediator.locator('#panel-positions-and-draft-text').locator('xpath=..');
  await positions.getByText('permanent_up_front').first().waitFor();
  await positions.getByText('time_limited_pause').first().waitFor();
  await mediator.selectOption('#draft-ceasefire', 'permanent_agreed_in_phase_two');
  await mediator.selectOption('#draft-withdrawal', 'full');
  await mediator.selectOption('#draft-guarantees', 'monitoring_mechanism');
  await mediator.selectOption('#draft-linkage', 'negotiated_during_phase_one');
  await mediator.selectOption('#status-hostages_released', 'agreed_in_principle');
  await done(mediator, 'Clause hostages_released');
  await mediator.click('#save-and-relay');
  await done(mediator, 'Relay text');
  await shot(mediator, '02-mediator-text-relayed');

  // Israel first rejects one clause, then the mediator relays the text again and both accept.
  const israel = delegations.israel;
  await israel.locator('#current-text').waitFor();
  await israel.check('input[name="response-ceasefire"][value="reject"]');
  await israel.click('#send-response');
  await done(israel, 'Send response');
  await shot(israel, '03-israel-rejects-a-clause');
  await mediator.locator('#texts-table').getByText('rejects ceasefire').waitFor();
  await mediator.click('#save-and-relay');
  await done(mediator, 'Relay text');
  for (const party of ['israel', 'hamas']) {
    const page = delegations[party];
    await page.getByText('Version 2', { exact: true }).waitFor();
    await page.click('#send-response');  // every clause on "accept" by default
    await done(page, 'Send response');
  }

  // Everyone sees the agreement.
  for (const page of [mediator, delegations.israel, delegations.hamas]) {
    await page.locator('#agreement').waitFor();
    assert.match(await page.locator('#agreement').textContent(), /Agreement reached on text version 2/);
  }
  await shot(mediator, '04-mediator-agreement');
  await shot(delegations.israel, '05-israel-agreement');
  await shot(delegations.hamas, '06-hamas-agreement');
  // The agreed text is the mediator's draft, as each delegation sees it.
  for (const page of [delegations.israel, delegations.hamas]) {
    const text = await page.locator('#current-text').textContent();
    for (const option of ['permanent_agreed_in_phase_two', 'monitoring_mechanism', 'negotiated_during_phase_one']) {
      assert.ok(text.includes(option), `the agreed text lacks ${option}`);
    }
  }

  // A delegation's page never shows the other side's proposal note.
  const hamasText = await delegations.hamas.locator('main').textContent();
  assert.ok(!hamasText.includes('israel opening'), 'hamas sees israel\'s note');
});
