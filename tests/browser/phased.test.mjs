// Issue 11: a person walks through a phased room in the web UI (Playwright with Debian's
// chromium, harness.mjs), from the admin's New room form to the end the CLI reports.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { artifacts, assertNoPartyIds, choose, cli, done, shot, source, type, useLiveServer } from './harness.mjs';

const live = useLiveServer();

// Issue 11: a person walks through a phased room. The admin creates it in the browser (protocol
// `phased`, a seed, 3 rounds); the mediator is a person, Israel's delegation a person, Hamas an
// engine (conceder). Phase 1 is settled on Hamas's proposal, phase 2 opens with phase 1's terms
// locked, Israel rejects the permanent ceasefire until the deadline, and every page reports the
// end as `parley negotiate --protocol phased` does.
test('a person walks through a phased room: phase 1 settled, phase 2 deadlocks', async () => {
  const admin = live.adminToken();
  const mediator = await live.newPage();
  await mediator.goto(`${live.baseUrl}/#token=${admin}`);
  await mediator.setInputFiles('#scenario-file', join(source, 'examples', 'ceasefire.yaml'));
  await mediator.waitForFunction(() => document.getElementById('scenario-text').value.length > 0);
  await type(mediator, '#room-title', 'Phased talks');
  await type(mediator, '#room-rounds', '3');
  await choose(mediator, '#room-protocol', 'phased');
  await type(mediator, '#room-seed', '5');
  await mediator.click('#create-room');
  await done(mediator, 'Create room');
  await mediator.goto(await mediator.locator('a.invite').last().getAttribute('href'));

  // Israel's delegation is invited; Hamas is an engine. The talks start with both seated.
  await choose(mediator, '#invite-party', 'israel');
  await mediator.click('#invite');
  const israelLink = await mediator.locator('#invite-israel').textContent();
  await choose(mediator, '#engine-party', 'hamas');
  await choose(mediator, '#engine-strategy', 'conceder');
  await mediator.getByRole('button', { name: 'Add engine' }).click();
  await done(mediator, 'Add engine party');
  const phase = mediator.locator('#current-phase');
  await phase.getByText('Initial exchange').waitFor();
  assert.match(await phase.textContent(), /^Phase 1 of 2: Initial exchange — now negotiating Linkage between phases, Hostages released in the initial exchange, Prisoners released in the initial exchange, Humanitarian access \(this phase's round 1 of 1\)$/);
  assert.match(await mediator.locator('#may-do').textContent(), /Government of Israel may now: send the mediator a proposal/);
  assert.match(await mediator.locator('#settled').textContent(), /Nothing is settled yet/);
  // The positions table says where each issue stands: phase 2's are for later.
  assert.match(await mediator.locator('#panel-positions-and-draft-text ~ table tr').filter({ hasText: 'Nature of the ceasefire' }).first().textContent(), /later phase/);
  await shot(mediator, '14-phased-mediator-phase-1');

  const israel = await live.newPage();
  await israel.goto(israelLink);
  await israel.locator('#may-do').getByText('You may now: send the mediator a proposal').waitFor();
  await shot(israel, '15-phased-israel-phase-1');
  await israel.click('#send-proposal');
  await done(israel, 'Send proposal');

  // The mediator relays Hamas's proposal as it is; it crosses Israel's red line, so it asks first.
  await mediator.locator('#may-do').getByText('You may now: relay a text').waitFor();
  await mediator.click('#use-position-hamas');
  await mediator.click('#save-and-relay');
  await done(mediator, 'Relay text');
  assert.match(live.dialogs.get(mediator).at(-1), /Government of Israel's red line/);
  await israel.getByText('Version 1', { exact: true }).waitFor();
  await israel.locator('#may-do').getByText('accept text version 1').waitFor();
  await israel.click('#accept-all');
  await done(israel, 'Accept the text');

  // Phase 1 is settled: both pages show phase 2 and the settled terms in words.
  const settledTerms = [];
  for (const page of [mediator, israel]) {
    await page.locator('#current-phase').getByText('End-state terms').waitFor();
    assert.match(await page.locator('#current-phase').textContent(), /^Phase 2 of 2: End-state terms — now negotiating Nature of the ceasefire, Military withdrawal, Guarantees/);
    const rows = await page.locator('#settled tr').allInnerTexts();
    assert.equal(rows.length, 5, rows.join(' | '));  // a header and phase 1's four issues
    assert.match(rows.join('\n'), /Linkage between phases/);
    settledTerms.push(rows.join('\n'));
  }
  assert.equal(settledTerms[0], settledTerms[1]);
  assert.match(await mediator.locator('.log').textContent(), /phase 1 of 2 \(Initial exchange\) agreed: Linkage between phases: /);
  // Settled issues are locked in the draft editor and the proposal form; phase 2's are open.
  assert.ok(await mediator.locator('#draft-linkage').isDisabled());
  assert.ok(await mediator.locator('#draft-ceasefire').isEnabled());
  assert.ok(await israel.locator('#proposal-hostages_released').isDisabled());
  assert.ok(await israel.locator('#proposal-ceasefire').isEnabled());
  await shot(mediator, '16-phased-mediator-phase-2');
  await shot(israel, '17-phased-israel-phase-2');

  // Phase 2, round 1: Israel proposes (phase 1's terms kept: the server refuses any change),
  // the mediator relays Hamas's proposal again, Israel rejects the ceasefire clause.
  await israel.locator('#may-do').getByText('You may now: send the mediator a proposal').waitFor();
  await choose(israel, '#proposal-ceasefire', 'time_limited_pause');
  await israel.click('#send-proposal');
  await done(israel, 'Send proposal');
  const relayAndReject = async (version) => {
    await mediator.locator('#may-do').getByText('You may now: relay a text').waitFor();
    await mediator.click('#use-position-hamas');
    await mediator.click('#save-and-relay');
    await done(mediator, 'Relay text');
    await israel.getByText(`Version ${version}`, { exact: true }).waitFor();
    await israel.check('input[name="response-ceasefire"][value="reject"]');
    await israel.click('#send-response');
    await done(israel, 'Send response');
  };
  await relayAndReject(2);
  // Round 2 opens: Israel may still accept version 2 (offered with its own button), but passes;
  // the mediator relays; Israel rejects; the deadline ends phase 2.
  const mayDo = await israel.locator('#may-do').textContent();
  assert.match(mayDo, /accept text version 2 after all/);
  assert.equal(await israel.locator('#may-do button[id^="accept-text-"]').textContent(), 'Accept version 2 now');
  await shot(israel, '17b-phased-israel-may-accept-after-all');
  await israel.locator('#may-do button[id^="pass-"]').click();
  await done(israel, 'Pass');
  await relayAndReject(3);

  // The end as the CLI reports it: "No agreement: phase 2 of 2 'end_state' failed: deadline: ...;
  // the partial agreement on earlier phases lapsed (...)", the lapsed terms in words below it.
  const negotiated = spawnSync(cli, ['negotiate', join(source, 'examples', 'ceasefire.yaml'), '--protocol', 'phased',
    '--strategy', 'israel=conceder', '--strategy', 'hamas=conceder', '--mediator', 'nash_mediator', '--rounds', '12', '--seed', '5'], { encoding: 'utf8' });
  assert.equal(negotiated.status, 0, negotiated.stderr);
  const cliEnd = negotiated.stdout.split('\n').find((line) => line.startsWith('No agreement: '));
  const prefix = cliEnd.slice(0, cliEnd.indexOf('lapsed (') + 'lapsed ('.length);
  assert.match(prefix, /^No agreement: phase 2 of 2 'end_state' failed: deadline: no text was accepted by every principal; the partial agreement on earlier phases lapsed \($/);
  for (const page of [mediator, israel]) {
    await page.locator('#end-reason').waitFor();
    const end = await page.locator('#end-reason').textContent();
    assert.ok(end.startsWith(prefix), `${end} does not read as the CLI's ${prefix}`);
    assert.match(end, /hostages_released=\d+, prisoners_released=\d+, humanitarian_access=\w+\)$/);
    assert.match(await page.locator('#room-end .lapsed').textContent(), /^The earlier phases' agreement lapsed with it: Linkage between phases: .*; Humanitarian access: .*\.$/);
    assert.equal(await page.locator('#room-status').textContent(), 'closed');
    assert.equal(await page.locator('#may-do').count(), 0, 'nobody may act once the talks ended');
  }
  await shot(mediator, '18-phased-mediator-deadlock');
  await mediator.locator('#texts-table').screenshot({ path: join(artifacts, '18b-phased-mediator-texts.png') });
  await shot(israel, '19-phased-israel-deadlock');
  await assertNoPartyIds(mediator, ['israel', 'hamas', 'qatar']);
  assert.deepEqual(live.cspViolations, [], 'no Content-Security-Policy violation');
});
