// A whole live negotiation in the web UI, driven by Playwright (playwright-core with Debian's
// chromium): the mediator creates a room from a scenario file, invites two delegations that join
// in separate browser contexts, proposals and a text flow between them, both accept clause by
// clause, and every page shows the agreement; the co-pilot's suggestions and invitations; a
// working-group member's messages. Screenshots go to PARLEY_ARTIFACTS (harness.mjs: environment,
// server, skips).
import { join } from 'node:path';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { assertNoPartyIds, assertNoSnakeCaseIds, choose, done, shot, source, type, useLiveServer, artifacts } from './harness.mjs';

const live = useLiveServer();

// Issue 13 item 4: the dashboard's charts read on their own. Numbered ticks on both axes of each
// chart, a legend naming each principal, each principal's colour in the chart the colour of its
// column header, and (ceasefire.yaml: red lines leave no zone) the frontier with red lines ignored
// drawn dashed and labelled.
async function assertReadableCharts(page, principals) {
  const space = page.locator('svg.utility-space');
  await space.waitFor();
  for (const axis of ['x-axis', 'y-axis']) {
    for (const chart of [space, page.locator('svg.line-chart')]) {
      const labels = await chart.locator(`.${axis} text.tick`).allTextContents();
      assert.ok(labels.length >= 3, `${axis}: ${labels.length} tick labels`);
      for (const label of labels) assert.match(label, /^-?\d+(\.\d+)?$/, `${axis} tick "${label}"`);
    }
  }
  assert.deepEqual(await space.locator('text.tick').evaluateAll((ts) => [...new Set(ts.map((t) => t.textContent))]),
    ['0', '0.2', '0.4', '0.6', '0.8', '1']);
  const titles = await space.locator('text.axis-title').allTextContents();
  const legend = (await space.locator('.legend').textContent());
  for (const party of principals) {
    const header = page.locator(`#panel-positions-and-draft-text ~ table th[data-party="${party}"]`);
    const name = await header.textContent();
    assert.ok(titles.includes(`utility to ${name}`), `no axis titled "utility to ${name}" in ${titles}`);
    assert.ok(legend.includes(`${name}'s latest proposal`), `the legend does not name ${name}: ${legend}`);
    const headerColour = await header.evaluate((th) => getComputedStyle(th).color);
    for (const mark of [space.locator(`g.position[data-party="${party}"] circle`), space.locator(`.legend [data-series="party-${party}"] circle`)]) {
      assert.equal(await mark.evaluate((c) => getComputedStyle(c).fill), headerColour, `${party}'s colour`);
    }
  }
  const ignoring = space.locator('[data-series="frontier-ignoring-red-lines"]');
  assert.ok(Number(await ignoring.first().locator('path').getAttribute('stroke-dasharray').then((d) => d.split(' ')[0])) > 0, 'dashed');
  assert.match(await ignoring.first().textContent(), /if red lines were ignored/);
  assert.match(legend, /Pareto frontier if red lines were ignored/);
  assert.match(await space.textContent(), /no zone of agreement/);
  // The gap chart's legend names the issues in words, and time on its x axis.
  const gapLegend = await page.locator('svg.line-chart .legend').textContent();
  assert.match(gapLegend, /Nature of the ceasefire/);
  assert.match(await page.locator('svg.line-chart .x-axis text.axis-title').textContent(), /^time since the first gap \((s|min)\)$/);
}

test('the UI is served with a Content-Security-Policy and refuses to be framed', async () => {
  const response = await fetch(`${live.baseUrl}/`);
  assert.match(response.headers.get('content-security-policy'), /frame-ancestors 'none'/);
  assert.match(response.headers.get('content-security-policy'), /script-src 'self'/);
  assert.equal(response.headers.get('x-frame-options'), 'DENY');
});

test('mediator and two delegations reach an agreement in the browser', async () => {
  const admin = live.adminToken();
  const scenarioPath = join(source, 'examples', 'ceasefire.yaml');

  // The mediator creates the room from the scenario file and opens the mediator's link.
  const mediator = await live.newPage();
  await mediator.goto(`${live.baseUrl}/#token=${admin}`);
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
    await choose(mediator, '#invite-party', party);
    await mediator.click('#invite');
    await mediator.locator(`#invite-${party}`).waitFor();
    links[party] = await mediator.locator(`#invite-${party}`).textContent();
  }
  const delegations = {};
  for (const party of ['israel', 'hamas']) {
    delegations[party] = await live.newPage();
    await delegations[party].goto(links[party]);
    await delegations[party].locator('#send-proposal').waitFor();
  }

  // Each delegation accepts the scenario's preferences and proposes.
  const proposals = { israel: 'time_limited_pause', hamas: 'permanent_up_front' };
  for (const [party, page] of Object.entries(delegations)) {
    await page.click('#accept-preferences');
    await done(page, 'Accept the scenario\'s preferences');
    await choose(page, '#proposal-ceasefire', proposals[party]);
    await type(page, '#proposal-note', `opening of ${party === 'israel' ? 'side A' : 'side B'}`);
    await page.click('#send-proposal');
    await done(page, 'Send proposal');
  }
  // The mediator sees both positions live, drafts a compromise and relays it.
  const positions = mediator.locator('#panel-positions-and-draft-text').locator('xpath=..');
  // (in words: a cell saying exactly the option's description, not an entry of the draft's select)
  await positions.locator('td').filter({ hasText: /^a permanent ceasefire committed to from the start$/ }).waitFor();
  await positions.locator('td').filter({ hasText: /^a pause for a fixed period$/ }).waitFor();
  // The pace panel forecasts a deal, always with its interval (docs/uncertainty.md).
  const forecast = mediator.locator('#forecast');
  await forecast.getByText('Is a deal near?').waitFor();
  assert.match(await forecast.textContent(), /Agreement by round \d+: \d+% \(95% interval \d+% to \d+%\)/);
  await choose(mediator, '#draft-ceasefire', 'permanent_agreed_in_phase_two');
  await choose(mediator, '#draft-withdrawal', 'full');
  await choose(mediator, '#draft-guarantees', 'monitoring_mechanism');
  await choose(mediator, '#draft-linkage', 'negotiated_during_phase_one');
  await choose(mediator, '#status-hostages_released', 'agreed_in_principle');
  await done(mediator, 'Clause Hostages released in the initial exchange');
  // The draft is evaluated as it changes: a permanent ceasefire crosses Israel's red line.
  const draftEvaluation = mediator.locator('#draft-evaluation');
  await draftEvaluation.getByText('no commitment to a permanent end of the war').waitFor();
  // The co-pilot names parties as the scenario does: the warning, the reservation and the gaps.
  for (const expected of [/Crosses Government of Israel's red line: no commitment/,
    /Below the reservation value of Government of Israel\./,
    /Gap to the latest proposal of Government of Israel: \d\.\d+, Hamas: \d\.\d+/]) {
    await draftEvaluation.filter({ hasText: expected }).waitFor();
  }
  assert.doesNotMatch(await mediator.locator('main').textContent(), /\bnull\b|undefined/);
  await shot(mediator, '02a-mediator-draft-crosses-a-red-line');
  // No text meets both sides' red lines: the suggestions say what would open one.
  await mediator.click('#suggest');
  await mediator.locator('#relaxations').waitFor();
  await mediator.locator('#deferrals').waitFor();
  await shot(mediator, '02b-mediator-suggestions-without-a-zone');
  await mediator.click('#save-and-relay');
  await done(mediator, 'Relay text');
  assert.match(live.dialogs.get(mediator).at(-1), /no commitment to a permanent end of the war[\s\S]*Relay it anyway\?/);
  await shot(mediator, '02-mediator-text-relayed');
  await mediator.locator('svg.utility-space text').filter({ hasText: 'v1' }).waitFor();
  await assertReadableCharts(mediator, ['israel', 'hamas']);
  const scenarioIssues = await mediator.evaluate(async () => {
    const me = await (await fetch('/api/whoami', { headers: { Authorization: `Bearer ${sessionStorage.getItem('parley-token')}` } })).json();
    const room = await (await fetch(`/api/rooms/${me.room}`, { headers: { Authorization: `Bearer ${sessionStorage.getItem('parley-token')}` } })).json();
    return room.scenario.issues;
  });
  assert.ok(scenarioIssues.some((issue) => issue.option_names && issue.option_names.includes('a pause for a fixed period')));
  await assertNoSnakeCaseIds(mediator, scenarioIssues);
  // The pace panel's concessions and every other table of the dashboard, by name too.
  const concessions = await mediator.locator('#panel-pace ~ table').last().innerText();
  assert.match(concessions, /Government of Israel/);
  assert.match(concessions, /Hamas/);
  await assertNoPartyIds(mediator, ['israel', 'hamas', 'qatar']);
  await mediator.locator('#panel-analysis').locator('xpath=..').screenshot({ path: join(artifacts, '02c-mediator-utility-space.png') });
  await mediator.locator('#panel-pace').locator('xpath=..').screenshot({ path: join(artifacts, '02d-mediator-pace.png') });

  // Israel first rejects one clause, then the mediator relays the text again and both accept.
  const israel = delegations.israel;
  await israel.locator('#current-text').waitFor();
  // Each delegation sees what the text is worth to itself and its own red lines only.
  await israel.locator('#text-evaluation').getByText('no commitment to a permanent end of the war').waitFor();
  const hamasWorth = await delegations.hamas.locator('#text-evaluation').textContent();
  assert.ok(!hamasWorth.includes('israel'), 'hamas sees israel in its evaluation');
  assert.match(hamasWorth, /none crossed/);
  await israel.check('input[name="response-ceasefire"][value="reject"]');
  await israel.click('#send-response');
  await done(israel, 'Send response');
  await shot(israel, '03-israel-rejects-a-clause');
  await mediator.locator('#texts-table').getByText('rejects Nature of the ceasefire').waitFor();
  await assertNoSnakeCaseIds(israel, scenarioIssues);
  // Shuttle: Hamas answers version 1 too, then the next round opens with both proposals.
  await delegations.hamas.click('#send-response');
  await done(delegations.hamas, 'Send response');
  for (const page of Object.values(delegations)) {
    await page.click('#send-proposal');
    await done(page, 'Send proposal');
  }
  await shot(mediator, '03b-mediator-protocol-panel');
  await mediator.click('#save-and-relay');
  await done(mediator, 'Relay text');
  for (const party of ['israel', 'hamas']) {
    const page = delegations[party];
    await page.getByText('Version 2', { exact: true }).waitFor();
    await page.click('#send-response');  // every clause on "accept" by default
    await done(page, 'Send response');
  }
  // Israel accepted a text crossing its own red line only after confirming it.
  assert.match(live.dialogs.get(israel).at(-1), /no commitment to a permanent end of the war[\s\S]*Accept it anyway\?/);

  // Everyone sees the agreement.
  for (const page of [mediator, delegations.israel, delegations.hamas]) {
    await page.locator('#agreement').waitFor();
    assert.match(await page.locator('#agreement').textContent(), /Agreement reached on text version 2/);
  }
  // The banner lists the agreed terms and flags the red line crossed.
  await mediator.locator('#agreement-flags').getByText('no commitment to a permanent end of the war').waitFor();
  assert.match(await mediator.locator('#agreement-terms').textContent(), /Agreed terms: .*Nature of the ceasefire/);
  await shot(mediator, '04-mediator-agreement');
  await shot(delegations.israel, '05-israel-agreement');
  await shot(delegations.hamas, '06-hamas-agreement');
  await assertNoSnakeCaseIds(mediator, scenarioIssues);
  await assertNoSnakeCaseIds(delegations.hamas, scenarioIssues);
  for (const page of [mediator, delegations.israel, delegations.hamas]) await assertNoPartyIds(page, ['israel', 'hamas', 'qatar']);
  // The agreed text is the mediator's draft, as each delegation sees it.
  for (const page of [delegations.israel, delegations.hamas]) {
    const text = await page.locator('#current-text').textContent();
    for (const option of ['a permanent ceasefire to be agreed during the second phase', 'monitoring mechanism', 'negotiated during the first phase, the pause continuing while talks go on']) {
      assert.ok(text.includes(option), `the agreed text lacks ${option}`);
    }
  }

  // A delegation's page never shows the other side's proposal note.
  const hamasText = await delegations.hamas.locator('main').textContent();
  assert.ok(!hamasText.includes('opening of side A'), 'hamas sees israel\'s note');
  assert.deepEqual(live.cspViolations, [], 'no Content-Security-Policy violation');
});

// A scenario with a zone: a suggestion goes into the draft, which then crosses nothing; a
// delegation's invitation is reissued, the old link stops working and the new one opens its view.
test('a suggestion applied to the draft, and a reissued invitation', async () => {
  const { roomId, token: mediatorToken } = await live.createRoom('riverside.yaml');
  const council = await live.call('POST', `/api/rooms/${roomId}/participants`, mediatorToken, { role: 'principal', party: 'council' });
  assert.equal(council.status, 201);

  const mediator = await live.newPage();
  await mediator.goto(`${live.baseUrl}/#token=${mediatorToken}`);
  await mediator.locator('#suggest').waitFor();
  await mediator.click('#suggest');
  await mediator.locator('#apply-suggestion-0').waitFor();
  await shot(mediator, '07-mediator-suggestions');
  // Each suggestion gives every principal's utility under its name.
  assert.match(await mediator.locator('#suggestion-list li').first().textContent(), /City council \d\.\d+ · Developer \d\.\d+ · Residents' association \d\.\d+/);
  await mediator.click('#apply-suggestion-0');
  await mediator.locator('#draft-evaluation .evaluation.ok').waitFor();
  assert.doesNotMatch(await mediator.locator('#draft-evaluation').textContent(), /not met|Crosses/);
  await shot(mediator, '08-mediator-suggestion-in-the-draft');

  // Reissue the council's invitation: shown once with a warning; the old token is refused.
  await mediator.click(`#reissue-${council.body.participant.id}`);
  await done(mediator, 'Reissue invitation');
  const link = await mediator.locator('#new-token-link').textContent();
  assert.match(await mediator.locator('#new-token').textContent(), /shown only once/);
  await shot(mediator, '09-mediator-reissued-invitation');
  assert.equal((await live.call('GET', `/api/rooms/${roomId}`, council.body.token)).status, 401);
  const delegate = await live.newPage();
  await delegate.goto(link);
  await delegate.locator('#send-proposal').waitFor();
  await delegate.locator('#proposal-evaluation .evaluation').waitFor();
  await shot(delegate, '10-council-with-its-new-invitation');
  await mediator.click('#dismiss-token');
  await mediator.locator('#new-token-link').waitFor({ state: 'detached' });
  assert.deepEqual(live.cspViolations, [], 'no Content-Security-Policy violation');
});

// Issue 13: a working-group member has messaging. It writes to its group (the other member and
// the mediator read it, the delegations do not) and to the mediator (only the mediator reads it).
test('a working-group member writes to its group and to the mediator', async () => {
  const { roomId, token: mediatorToken } = await live.createRoom('riverside.yaml');
  const group = await live.call('POST', `/api/rooms/${roomId}/groups`, mediatorToken, { name: 'design team', issues: ['building_height', 'green_space'] });
  assert.equal(group.status, 201);
  const invite = async (body) => (await live.call('POST', `/api/rooms/${roomId}/participants`, mediatorToken, body)).body.token;
  const tokens = {
    council: await invite({ role: 'principal', party: 'council' }),
    architect: await invite({ role: 'member', group: group.body.group.id, party: 'council', name: 'Ada the architect' }),
    planner: await invite({ role: 'member', group: group.body.group.id, name: 'Paul the planner' }),
  };
  const open = async (token, ready) => {
    const page = await live.newPage();
    await page.goto(`${live.baseUrl}/#token=${token}`);
    await page.locator(ready).waitFor();
    return page;
  };
  const architect = await open(tokens.architect, '#send-message');
  const planner = await open(tokens.planner, '#no-messages');
  const council = await open(tokens.council, '#send-proposal');
  const mediator = await open(mediatorToken, '#suggest');
  // The member's form offers exactly what the server lets a member address.
  assert.deepEqual(await architect.locator('#message-to option').allTextContents(), ['the mediator', 'working group “design team”']);
  assert.match(await architect.locator('#member-audience').textContent(), /The delegations read neither/);

  await choose(architect, '#message-to', `group:${group.body.group.id}`);
  await type(architect, '#message-text', 'Eight storeys if the park keeps its trees?');
  await architect.click('#send-message');
  await done(architect, 'Send message');
  await choose(architect, '#message-to', 'mediator');
  await type(architect, '#message-text', 'In confidence: the council would go to nine.');
  await architect.click('#send-message');
  await done(architect, 'Send message');
  await architect.locator('#member-thread').getByText('In confidence').waitFor();
  await shot(architect, '11-member-messages');

  // The other member reads the group's message, by its author and group, not the confidence.
  const groupLine = planner.locator('#member-thread li').filter({ hasText: 'Eight storeys' });
  await groupLine.waitFor();
  assert.match(await groupLine.textContent(), /message from Ada the architect \(working group “design team”, City council's delegation\) to working group “design team”: Eight storeys/);
  await shot(planner, '12-member-reads-its-group');
  // The mediator reads both.
  await mediator.locator('.log li').filter({ hasText: 'In confidence' }).waitFor();
  await mediator.locator('.log li').filter({ hasText: 'Eight storeys' }).waitFor();
  // The member's own delegation reads neither (its page is up to date: it shows the mediator's
  // later message to it, sent after both).
  await choose(mediator, '#message-to', 'council');
  await type(mediator, '#message-text', 'Please send your proposal.');
  await mediator.locator('#panel-messages-and-log ~ .row button').click();
  await done(mediator, 'Send message');
  await council.locator('.log li').filter({ hasText: 'Please send your proposal.' }).waitFor();
  const councilText = await council.locator('main').innerText();
  assert.ok(!councilText.includes('Eight storeys') && !councilText.includes('In confidence'), 'a delegation reads a member\'s message');
  assert.ok(!(await planner.locator('main').innerText()).includes('In confidence'), 'the other member reads a message to the mediator');
  // The mediator answers the group; both members read it.
  await choose(mediator, '#message-to', `group:${group.body.group.id}`);
  await type(mediator, '#message-text', 'Keep the trees; eight is fine.');
  await mediator.locator('#panel-messages-and-log ~ .row button').click();
  await done(mediator, 'Send message');
  for (const page of [architect, planner]) await page.locator('#member-thread').getByText('Keep the trees').waitFor();
  await shot(planner, '13-member-reads-the-mediator');
  assert.deepEqual(live.cspViolations, [], 'no Content-Security-Policy violation');
});
