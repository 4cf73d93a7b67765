// parley live: the browser UI. Plain ES modules, no build step. One page serves every role; the
// token (from an invite link "#token=..." or typed in) decides the view. Live updates come from the
// server-sent event stream of the room; each event refreshes the view from the API.
import { colour, lineChart, seriesColour, utilitySpace } from './charts.js';
import { agreementTerms, confirmText, invitationsTable, liveEvaluation, evaluate, evaluationView, suggestionsPanel } from './copilot.js';

const app = document.getElementById('app');
const statusLine = document.getElementById('status');
const who = document.getElementById('who');
const signOut = document.getElementById('sign-out');
let token = '';
let me = null;
let events = null;
let refreshTimer = null;
let render = async () => {};
const cache = { strategies: null, invites: [] };
// Values a person has typed or chosen, kept across the re-renders live updates cause.
const edited = new Map();
app.addEventListener('input', (e) => { if (e.target.id) edited.set(e.target.id, e.target.type === 'checkbox' ? e.target.checked : e.target.value); });
app.addEventListener('change', (e) => { if (e.target.id) edited.set(e.target.id, e.target.type === 'checkbox' ? e.target.checked : e.target.value); });

function restoreEdits() {
  for (const [id, value] of edited) {
    const input = document.getElementById(id);
    // A disabled control shows what the room says (a settled issue), not an earlier edit.
    if (!input || input.disabled) continue;
    if (input.type === 'checkbox') input.checked = value;
    else if (input.type !== 'file') input.value = value;
  }
}

const EVENT_TYPES = ['room_created', 'participant_added', 'preferences_submitted', 'proposal',
  'text_drafted', 'text_relayed', 'response', 'message', 'group_created', 'clause_status',
  'agreement', 'closed', 'answer', 'move', 'talks_started'];

// ------------------------------------------------------------------ helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
    // Through the CSSOM: the server's Content-Security-Policy refuses style attributes.
    else if (key === 'style') node.style.cssText = value;
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

function say(text, error = false) {
  statusLine.textContent = text;
  statusLine.className = error ? 'status error' : 'status';
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(data.message || `${response.status} ${response.statusText}`);
  return data;
}

// Runs an action, reporting its outcome in the status line. Edits of the fields whose ids start
// with `consumes` were sent by the action and are forgotten; other edits survive the refresh.
async function act(label, action, consumes = null) {
  try {
    say(`${label}…`);
    const result = await action();
    if (consumes) for (const id of [...edited.keys()]) if (id.startsWith(consumes)) edited.delete(id);
    await refresh();
    say(`${label}: done`);
    return result;
  } catch (error) {
    say(`${label}: ${error.message}`, true);
    return null;
  }
}

function panel(title, ...children) {
  const id = `panel-${title.toLowerCase().replace(/[^a-z]+/g, '-')}`;
  return h('section', { class: 'panel', 'aria-labelledby': id }, h('h2', { id, text: title }), ...children);
}

function widePanel(title, ...children) {
  const section = panel(title, ...children);
  section.classList.add('wide');
  return section;
}

// The room's issues, for option and issue names in words wherever an id would show.
let roomIssues = [];
const issueById = (id) => roomIssues.find((issue) => issue.id === id);
// An option in words: the scenario's description of it, else its label with spaces.
function optionName(issue, label) {
  const index = issue && issue.options ? issue.options.map(String).indexOf(String(label)) : -1;
  if (index >= 0 && issue.option_names) return issue.option_names[index];
  return words(label);
}
const issueName = (id) => (issueById(id) ? issueById(id).name : words(id));
// A party's name as the scenario gives it (charts and column headers say the same), in every
// view: tables, warnings, the log and the protocol panel never show a party's id.
let roomParties = [];
const partyName = (id) => (roomParties.find((p) => p.id === id) || {}).name || words(id);
const partyNames = (ids) => (ids || []).map(partyName).join(', ');
// The participants the reader knows of (the mediator: everyone; a member: its group), to name
// the author of a message.
let roomPeople = [];
let roomGroups = [];
let roomPhases = [];

// What every view takes from the room it shows: issue and option names, party names, and the
// reader's own side in the header.
function learnRoom(room) {
  roomIssues = room.scenario ? room.scenario.issues : [];
  roomParties = room.scenario ? room.scenario.parties || [] : [];
  roomPeople = room.participants || (room.group ? room.group.members : []) || [];
  roomGroups = room.groups || (room.group ? [room.group] : []);
  roomPhases = room.scenario ? room.scenario.phases || [] : [];
  if (me.participant && me.participant.party) who.textContent = `${me.role} · ${partyName(me.participant.party)}`;
}

// Who wrote a message: "you", a working-group member by name and group, else its party by name.
function speaker(body) {
  if (me.participant && body.from === me.participant.id) return 'you';
  const person = roomPeople.find((p) => p.id === body.from);
  if (person && person.role === 'member') {
    const group = roomGroups.find((g) => g.id === person.group);
    return `${person.name || `member ${person.id}`} (working group${group ? ` “${group.name}”` : ''}${person.party ? `, ${partyName(person.party)}'s delegation` : ''})`;
  }
  if (body.party) return `${partyName(body.party)}${(roomParties.find((p) => p.id === body.party) || {}).role === 'mediator' ? ' (mediator)' : ''}`;
  return person && person.name ? person.name : 'a working-group member';
}

// A message's addressees in words ("mediator", "group:ID", party ids).
function addressees(to) {
  return (to || []).map((id) => {
    if (id === 'mediator') return 'the mediator';
    if (String(id).startsWith('group:')) {
      const group = roomGroups.find((g) => g.id === id.slice(6));
      return `working group “${group ? group.name : id.slice(6)}”`;
    }
    return partyName(id);
  }).join(', ');
}

function optionSelect(issue, id, selected, disabled = false) {
  if (!issue.options) {
    return h('input', { type: 'number', id, value: selected ?? issue.lower, min: issue.lower, max: issue.upper, step: issue.step || 1, 'aria-label': issue.name, disabled });
  }
  return h('select', { id, 'aria-label': issue.name, disabled },
    issue.options.map((option) => h('option', { value: option, selected: String(option) === String(selected) }, optionName(issue, option))));
}

function readOutcome(issues, prefix) {
  const outcome = {};
  for (const issue of issues) {
    const input = document.getElementById(`${prefix}-${issue.id}`);
    const value = input.value;
    outcome[issue.id] = issue.kind === 'discrete' ? value : Number(value);
  }
  return outcome;
}

// Where an issue stands in phased talks: settled by an earlier phase (its control is locked to
// the settled option), negotiated now, or left to a later phase. Nothing without phases.
function phaseNote(room, issue) {
  const protocol = room.protocol || {};
  if (!protocol.phase) return null;
  if (issue.id in (protocol.settled || {})) return h('span', { class: 'phase-note settled', text: ' settled' });
  if (protocol.phase.issues.includes(issue.id)) return null;
  return h('span', { class: 'phase-note later', text: ' later phase' });
}

// Puts an outcome into the mediator's draft editor, leaving locked (settled) issues as they are.
function putInDraft(issues, outcome) {
  for (const issue of issues) {
    const id = `draft-${issue.id}`;
    const input = document.getElementById(id);
    if (!input || input.disabled) continue;
    const value = String(outcome[issue.id]);
    edited.set(id, value);
    input.value = value;
    input.dispatchEvent(new Event('change', { bubbles: true }));
  }
}

function statusBadge(status) {
  return h('span', { class: `badge ${status}`, text: status.replaceAll('_', ' ') });
}

function formatValue(value) { return typeof value === 'number' ? Number(value.toFixed(3)) : value; }

const words = (value) => String(value).replaceAll('_', ' ');
// {issue: option} as "issue: option; ..." for the log and the texts table.
function outcomeWords(outcome) {
  return Object.entries(outcome || {}).map(([issue, option]) => `${issueName(issue)}: ${optionName(issueById(issue), option)}`).join('; ');
}

// A protocol's phase announcement ("phase 1 of 2 'initial_exchange' agreed: linkage=..., ...")
// with the phase's label and the terms in words; any other text as it is.
function announcementWords(text) {
  const match = /^phase (\d+) of (\d+) '([^']*)' (agreed|failed)(: )?(.*)$/.exec(text || '');
  if (!match) return text;
  const [, number, count, id, verb, , rest] = match;
  const phase = (roomPhases.find((p) => p.id === id) || {}).label || words(id);
  const terms = verb === 'agreed' ? outcomeWords(Object.fromEntries(rest.split(', ').map((term) => term.split('=')))) : rest;
  return `phase ${number} of ${count} (${phase}) ${verb}${terms ? `: ${terms}` : ''}`;
}

// A response's note as the protocol writes it ("rejected clauses: ceasefire, withdrawal"), with
// the issues by name.
function clauseWords(note) {
  return note.replace(/rejected clauses: ([\w, ]+)/, (all, ids) => `rejected clauses: ${ids.split(', ').map(issueName).join(', ')}`);
}

function describeEvent(event) {
  const body = event.body || {};
  switch (event.type) {
    case 'proposal': return `${partyName(body.party)} proposed ${outcomeWords(body.outcome)}${body.note ? ` — “${body.note}”` : ''}`;
    case 'text_drafted': return `draft text version ${body.version}`;
    case 'text_relayed': return `text version ${body.version} relayed to ${partyNames(body.to)}`;
    case 'response': return `${partyName(body.party)} ${body.accept ? 'accepted' : 'did not accept'} version ${body.version}${body.note ? ` — “${clauseWords(body.note)}”` : ''}`;
    case 'message': return `message from ${speaker(body)} to ${addressees(body.to)}: ${body.text}`;
    case 'preferences_submitted': return `${partyName(body.party)} submitted preferences`;
    case 'participant_added': {
      const who = body.participant;
      const of = [who.party && (who.role === 'member' ? `${partyName(who.party)}'s delegation` : partyName(who.party)), who.group && addressees([`group:${who.group}`])].filter(Boolean).join(', ');
      return `${who.name && !who.engine ? `${who.name}, ` : ''}${who.engine ? `engine (${who.engine}) for` : who.role}${of ? ` ${who.role === 'member' ? 'of ' : ''}${of}` : ''} joined`;
    }
    case 'group_created': return `working group “${body.group.name}” on ${body.group.issues.map(issueName).join(', ')}`;
    case 'clause_status': return `clause ${issueName(body.issue)}: ${body.status.replaceAll('_', ' ')}`;
    case 'agreement': return body.version ? `agreement on text version ${body.version}` : `agreement: ${outcomeWords(body.outcome)}`;
    case 'talks_started': return `the talks started (${body.protocol})`;
    case 'answer': return `${me.participant && body.party === me.participant.party ? 'you' : partyName(body.party)} answered: ${words(body.action.type)}`;
    case 'move': return announcementWords(body.text) !== body.text ? `${partyName(body.party)} announced: ${announcementWords(body.text)}`
      : `${partyName(body.party)}: ${words(body.action)}${body.outcome ? ` ${outcomeWords(body.outcome)}` : ''}${body.text ? ` — “${body.text}”` : ''}`;
    case 'closed': return `room closed: ${body.reason}`;
    case 'access_changed': return `invitation of ${body.participant} ${body.action}`;
    default: return event.type;
  }
}

function logList(log) {
  return h('ol', { class: 'log', reversed: true },
    [...log].reverse().map((event) => h('li', {}, h('time', { text: new Date(event.at_ms).toLocaleTimeString() }), ' ', describeEvent(event))));
}

// What an action of an ask means, in the words of the controls that take it: a mediator relays
// texts; a principal in a mediated room proposes and answers texts; elsewhere parties make and
// accept offers.
function actionWords(type, ask) {
  const isMediator = (id) => (roomParties.find((p) => p.id === id) || {}).role === 'mediator';
  const text = ask.standing_text_version;
  const words = isMediator(ask.party)
    ? { offer: 'relay a text to the delegations (“Save and relay”)', relay: 'send a message', pass: 'pass (relay nothing this round)', end: 'end the talks' }
    : ask.may_address.some(isMediator)
      ? { offer: 'send the mediator a proposal (“Send proposal”)', accept: ask.allowed.includes('reject') ? `accept text version ${text} (“Accept the whole text”)` : `accept text version ${text} after all (“Accept version ${text} now”)`, reject: `reject clauses of version ${text} (“Send response”)`, pass: 'pass this turn', end: 'walk away from the talks' }
      : { offer: 'make an offer (“Send proposal”)', accept: 'accept the standing offer', reject: 'reject it', pass: 'pass this turn', end: 'walk away from the talks' };
  const common = { vote: 'vote on the text', feedback: 'give feedback', confide: 'confide' };
  return words[type] || common[type] || type;
}

// What everyone may know of the room's protocol: its name, the current phase, what is settled,
// and what the protocol asks of the reader now (GET /api/rooms/{id}: protocol, awaiting).
function protocolPanel(room) {
  const protocol = room.protocol || {};
  const phase = protocol.phase;
  const settled = Object.entries(protocol.settled || {});
  const awaiting = room.awaiting || [];
  const mine = awaiting.filter((ask) => !me.participant || ask.party === me.participant.party || me.role === 'mediator');
  const ownParty = me.participant && me.participant.party;
  const clock = (awaiting.find((ask) => ask.stage_clock) || {}).stage_clock;
  const ended = room.status !== 'open';
  return panel('Protocol',
    h('p', { id: 'protocol-name' }, h('strong', { text: protocol.name || 'shuttle' }), protocol.spec && protocol.spec !== protocol.name ? h('span', { class: 'note', text: ` ${protocol.spec}` }) : '',
      protocol.round !== undefined ? h('span', { class: 'note', text: ` · round ${protocol.round} of ${protocol.max_rounds}` }) : ''),
    !protocol.started && !protocol.legacy && h('p', { class: 'note', id: 'waiting-for', text: `The talks start once every principal has a seat${(protocol.waiting_for || []).length ? ` (still without one: ${partyNames(protocol.waiting_for)})` : ''}.` }),
    protocol.stopped && h('p', { class: 'error', text: `The protocol stopped: ${protocol.stopped}` }),
    phase ? h('p', { id: 'current-phase' }, `Phase ${phase.number} of ${phase.count}: `, h('strong', { text: phase.label || words(phase.id || '') }),
      ` — ${ended ? 'the talks ended while negotiating' : 'now negotiating'} ${phase.issues.map(issueName).join(', ')}`,
      !ended && clock ? h('span', { class: 'note', text: ` (this phase's round ${clock.round + 1} of ${clock.max_rounds})` }) : '') : null,
    h('div', { id: 'settled' }, settled.length === 0 ? (phase ? h('p', { class: 'note', text: 'Nothing is settled yet.' }) : null) :
      h('table', {}, h('caption', { class: 'note', text: room.status === 'closed' ? 'Settled in earlier phases (lapsed: the talks ended without agreement)'
        : room.status === 'agreed' ? 'Settled in earlier phases (part of the agreement)' : 'Settled in earlier phases (texts keep these; they are no longer negotiated)' }),
        h('tr', {}, h('th', { text: 'issue' }), h('th', { text: 'settled on' })),
        settled.map(([issue, option]) => h('tr', {}, h('th', { scope: 'row', text: issueName(issue) }), h('td', { text: optionName(issueById(issue), option) }))))),
    room.status === 'open' && protocol.started && h('div', { id: 'may-do' },
      mine.length === 0 ? h('p', { class: 'note', text: me.role === 'principal' || me.role === 'mediator' ? 'The protocol asks nothing of you now; others are answering.' : 'You follow the talks; the protocol asks nothing of you.' }) :
        mine.map((ask) => h('p', { class: 'ask' }, h('strong', { text: ask.party === ownParty ? 'You may now: ' : `${partyName(ask.party)} may now: ` }),
          ask.allowed.map((type) => actionWords(type, ask)).join('; '),
          ask.may_address.length ? h('span', { class: 'note', text: ` (to ${partyNames(ask.may_address)})` }) : '',
          ask.standing_offer && ask.standing_text_version === undefined ? h('span', { class: 'note', text: ` standing offer${ask.standing_offer_from ? ` from ${partyName(ask.standing_offer_from)}` : ''}: ${outcomeWords(ask.standing_offer)}` }) : '',
          me.role === 'principal' && ask.standing_offer && ask.standing_text_version === undefined && ask.allowed.includes('accept') ?
            h('button', { id: `accept-offer-${ask.ask}`, onclick: () => act('Accept the offer', () => api('POST', `/api/rooms/${room.id}/actions`, { ask: ask.ask, type: 'accept', outcome: ask.standing_offer })), text: 'Accept this offer' }) : '',
          // A round may open by accepting the text standing from the last one (even one this party
          // did not accept when it answered it): the text panel's buttons are spent by then.
          me.role === 'principal' && ask.standing_text_version !== undefined && ask.allowed.includes('accept') && !ask.allowed.includes('reject') ?
            h('button', { class: 'secondary', id: `accept-text-${ask.ask}`, onclick: async () => {
              if (!await confirmText(ui, room.id, ask.standing_offer, 'Accept it')) { say('Not accepted'); return; }
              await act(`Accept version ${ask.standing_text_version}`, () => api('POST', `/api/rooms/${room.id}/actions`, { ask: ask.ask, type: 'accept' }));
            }, text: `Accept version ${ask.standing_text_version} now` }) : '',
          ask.party !== ownParty ? '' : ask.allowed.includes('pass') ? h('button', { class: 'secondary', id: `pass-${ask.ask}`, onclick: () => act('Pass', () => api('POST', `/api/rooms/${room.id}/actions`, { ask: ask.ask, type: 'pass' })), text: 'Pass' }) : ''))));
}

// The end as `parley negotiate` reports it ("No agreement: <reason>"), with, for phased talks,
// what each phase settled in words.
function roomBanner(room) {
  const parts = [];
  if (room.scenario.banner) parts.push(h('p', { class: 'note', text: room.scenario.banner }));
  if (room.status === 'agreed') {
    parts.push(h('p', { class: 'banner agreed', id: 'agreement', text: room.agreement.version ? `Agreement reached on text version ${room.agreement.version}` : `Agreement reached: ${outcomeWords(room.agreement.outcome)}` }));
  } else if (room.status === 'closed') {
    const reason = room.end_reason || 'closed';
    const lapsed = /the partial agreement on earlier phases lapsed \((.*)\)$/.exec(reason);
    parts.push(h('div', { class: 'banner closed', id: 'room-end' },
      h('p', { id: 'end-reason', text: `No agreement: ${reason}` }),
      lapsed && h('p', { class: 'lapsed', text: `The earlier phases' agreement lapsed with it: ${outcomeWords(Object.fromEntries(lapsed[1].split(', ').map((term) => term.split('='))))}.` })));
  }
  return parts;
}

// What the co-pilot (copilot.js) needs of this file.
const ui = { h, api, act: (label, action, consumes) => act(label, action, consumes), say, edited, refresh: () => refresh(), partyName, partyNames, putInDraft };

// The agreed terms and their red-line flags under the banner (mediator and principals).
async function agreementBanner(room) {
  return room.status === 'agreed' ? agreementTerms(ui, room.id, room) : null;
}

// One render at a time: a render awaits the server before it replaces the page, so two at once
// could finish out of order and put a stale page over a newer one (an event's refresh started
// before an action, finishing after the action's own refresh, showed the page as before the
// action). A refresh asked for while one runs makes that one go round again, and waits for it.
let rendering = null;
let renderAgain = false;

async function refresh() {
  clearTimeout(refreshTimer);
  if (rendering) {
    renderAgain = true;
    return rendering;
  }
  rendering = (async () => {
    do {
      renderAgain = false;
      try {
        await render();
        restoreEdits();
      } catch (error) {
        say(error.message, true);
      }
    } while (renderAgain);
    rendering = null;  // here, not after an await, so no refresh can slip in between
  })();
  return rendering;
}

function scheduleRefresh() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(refresh, 120);
}

function follow(roomId) {
  if (events) events.close();
  events = new EventSource(`/api/rooms/${roomId}/events?token=${encodeURIComponent(token)}`);
  for (const type of EVENT_TYPES) events.addEventListener(type, scheduleRefresh);
}

// ------------------------------------------------------------------ sign-in and admin

function signInView(message) {
  app.replaceChildren(panel('Sign in',
    h('p', { text: message || 'Paste the access token you were given (an invite link signs you in directly).' }),
    h('form', { onsubmit: (e) => { e.preventDefault(); start(document.getElementById('token-input').value.trim()); } },
      h('label', { for: 'token-input', text: 'Access token' }), ' ',
      h('input', { type: 'password', id: 'token-input', size: 70, autocomplete: 'off' }), ' ',
      h('button', { type: 'submit', text: 'Sign in' }))));
}

function inviteLink(newToken) { return `${location.origin}/#token=${newToken}`; }

async function adminView() {
  const rooms = (await api('GET', '/api/rooms')).rooms;
  if (!cache.protocols) cache.protocols = (await api('GET', '/api/protocols')).protocols;
  const created = h('div', { id: 'created-room' });
  app.replaceChildren(h('div', { class: 'grid' },
    panel('New room',
      h('p', { class: 'note', text: 'A room is one negotiation, made from a parley scenario (YAML or JSON). You receive the mediator\'s link.' }),
      h('label', { for: 'scenario-file', text: 'Scenario file' }),
      h('input', { type: 'file', id: 'scenario-file', accept: '.yaml,.yml,.json', onchange: async (e) => {
        const file = e.target.files[0];
        if (file) document.getElementById('scenario-text').value = await file.text();
      } }),
      h('label', { for: 'scenario-text', text: 'or paste it here' }),
      h('textarea', { id: 'scenario-text' }),
      h('div', { class: 'row' },
        h('label', { for: 'room-title', text: 'Title' }), h('input', { type: 'text', id: 'room-title', size: 40 }),
        h('label', { for: 'room-rounds', text: 'Rounds' }), h('input', { type: 'number', id: 'room-rounds', value: 50, min: 1, max: 100000 })),
      h('div', { class: 'row' },
        h('label', { for: 'room-protocol', text: 'Protocol' }),
        h('select', { id: 'room-protocol' }, (cache.protocols || []).map((p) => h('option', { value: p.name, title: p.summary, selected: p.name === 'shuttle', text: `${p.name}${p.mediation === 'none' ? ' (no mediator: you chair)' : ''}` }))),
        h('label', { for: 'room-seed', text: 'Seed' }), h('input', { type: 'number', id: 'room-seed', min: 0, placeholder: 'random' })),
      h('button', { id: 'create-room', onclick: () => act('Create room', async () => {
        const body = { scenario: document.getElementById('scenario-text').value, rounds: Number(document.getElementById('room-rounds').value),
          protocol: document.getElementById('room-protocol').value || 'shuttle' };
        const seed = document.getElementById('room-seed').value;
        if (seed !== '') body.seed = Number(seed);
        const title = document.getElementById('room-title').value.trim();
        if (title) body.title = title;
        const result = await api('POST', '/api/rooms', body);
        cache.invites.push({ label: `${result.participant.role} of ${result.room.title}`, token: result.token });
        return result;
      }) , text: 'Create room' }),
      created),
    panel('Links made in this session',
      h('ul', {}, cache.invites.map((invite) => h('li', {}, `${invite.label}: `,
        h('a', { href: inviteLink(invite.token), class: 'invite', target: '_blank', text: 'open' }), ' ',
        h('code', { class: 'token', text: inviteLink(invite.token) }))))),
    panel('Rooms', h('table', {}, h('tr', {}, ['id', 'title', 'status', 'round', 'participants'].map((t) => h('th', { text: t }))),
      rooms.map((room) => h('tr', {}, [room.id, room.title, room.status, room.round, room.participants].map((v) => h('td', { text: v }))))))));
}

// ------------------------------------------------------------------ mediator

async function mediatorView() {
  const roomId = me.room;
  const [room, analysis, pace, invitations] = await Promise.all([
    api('GET', `/api/rooms/${roomId}`),
    api('GET', `/api/rooms/${roomId}/analysis`).catch((error) => ({ error: error.message })),
    api('GET', `/api/rooms/${roomId}/pace`),
    api('GET', `/api/rooms/${roomId}/participants`),
  ]);
  if (!cache.strategies) cache.strategies = (await api('GET', '/api/strategies')).strategies;
  learnRoom(room);
  const issues = room.scenario.issues;
  const principals = room.principals;
  const joined = new Set(room.participants.filter((p) => p.role === 'principal').map((p) => p.party));
  const latestText = room.texts[room.texts.length - 1];
  const open = room.status === 'open';
  const settled = (room.protocol && room.protocol.settled) || {};
  const draftDefault = (issue) => {
    if (issue.id in settled) return settled[issue.id];
    if (latestText) return latestText.outcome[issue.id];
    if (analysis.nash && analysis.nash.defined) return analysis.nash.outcome[issue.id];
    return issue.options ? issue.options[0] : issue.lower;
  };

  const uninvited = principals.filter((p) => !joined.has(p));
  const participants = panel('Participants',
    ...invitationsTable(ui, roomId, invitations.participants),
    open && uninvited.length > 0 && h('div', { class: 'row' },
      h('label', { for: 'invite-party', text: 'Invite a delegation' }),
      h('select', { id: 'invite-party' }, principals.filter((p) => !joined.has(p)).map((p) => h('option', { value: p, text: partyName(p) }))),
      h('button', { id: 'invite', onclick: () => act('Invite', async () => {
        const party = document.getElementById('invite-party').value;
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'principal', party });
        cache.invites.push({ label: partyName(party), token: result.token, party });
      }), text: 'Invite' })),
    open && h('div', { class: 'row' },
      h('button', { id: 'invite-observer', class: 'secondary', onclick: () => act('Invite an observer', async () => {
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'observer' });
        cache.invites.push({ label: 'observer', token: result.token });
      }), text: 'Invite an observer' })),
    open && uninvited.length > 0 && h('div', { class: 'row' },
      h('label', { for: 'engine-party', text: 'Engine plays' }),
      h('select', { id: 'engine-party' }, principals.filter((p) => !joined.has(p)).map((p) => h('option', { value: p, text: partyName(p) }))),
      h('label', { for: 'engine-strategy', text: 'strategy' }),
      h('select', { id: 'engine-strategy' }, cache.strategies.filter((s) => s.roles.includes('principal')).map((s) => h('option', { value: s.name, title: s.summary, text: s.name }))),
      h('button', { class: 'secondary', onclick: () => act('Add engine party', () => api('POST', `/api/rooms/${roomId}/engines`, {
        party: document.getElementById('engine-party').value, strategy: document.getElementById('engine-strategy').value })), text: 'Add engine' })),
    cache.invites.length > 0 && h('ul', {}, cache.invites.map((invite) => h('li', {}, `${invite.label}: `,
      h('code', { class: 'token', id: invite.party ? `invite-${invite.party}` : null, text: inviteLink(invite.token) })))));

  const positions = widePanel('Positions and draft text',
    h('table', {},
      h('tr', {}, h('th', { text: 'issue' }), principals.map((p, i) => h('th', { style: `color:${colour(i)}`, class: 'party', 'data-party': p, text: partyName(p) })), h('th', { text: 'draft' }), h('th', { text: 'clause status' })),
      issues.map((issue, issueIdx) => h('tr', {},
        h('th', { scope: 'row' }, issue.name, phaseNote(room, issue)),
        principals.map((p) => h('td', { text: room.latest_positions[p] ? optionName(issue, room.latest_positions[p].outcome[issue.id]) : '—' })),
        h('td', {}, optionSelect(issue, `draft-${issue.id}`, draftDefault(issue), issue.id in settled)),
        h('td', {}, h('select', { id: `status-${issue.id}`, 'aria-label': `status of ${issue.name}`, disabled: !open,
          onchange: (e) => act(`Clause ${issue.name}`, () => api('PUT', `/api/rooms/${roomId}/clauses/${issue.id}`, { status: e.target.value })) },
          ['open', 'agreed_in_principle', 'finalised'].map((s) => h('option', { value: s, selected: room.clauses[issueIdx].status === s, text: s.replaceAll('_', ' ') })))))),
      // A principal's latest proposal, one click into the draft (to relay it as it is, or edit it).
      Object.keys(room.latest_positions).length > 0 && h('tr', {}, h('th', { scope: 'row', class: 'note', text: 'into the draft' }),
        principals.map((p) => h('td', {}, room.latest_positions[p] && open && h('button', { class: 'secondary', id: `use-position-${p}`, onclick: () => {
          putInDraft(issues, room.latest_positions[p].outcome);
          say(`${partyName(p)}'s latest proposal is in the draft; save or relay it when ready.`);
        }, text: `Use ${partyName(p)}'s proposal` }))), h('td', {}), h('td', {}))),
    h('h3', { text: 'The draft, evaluated as you edit it' }),
    // Keeps the last evaluation while the new one is asked for, so a refresh does not blank it.
    h('div', { id: 'draft-evaluation' }, ...[...(document.getElementById('draft-evaluation')?.childNodes || [])].map((node) => node.cloneNode(true))),
    h('div', { class: 'row' },
      h('label', { for: 'draft-note', text: 'Note' }), h('input', { type: 'text', id: 'draft-note', size: 40 })),
    open && h('div', { class: 'row' },
      h('button', { id: 'save-draft', class: 'secondary', onclick: () => act('Save draft', () => api('POST', `/api/rooms/${roomId}/texts`, {
        outcome: readOutcome(issues, 'draft'), note: document.getElementById('draft-note').value || undefined }), 'draft-'), text: 'Save draft' }),
      principals.map((p) => h('label', {}, h('input', { type: 'checkbox', id: `relay-${p}`, checked: true }), ` ${partyName(p)}`)),
      h('button', { id: 'save-and-relay', onclick: async () => {
        if (!await confirmText(ui, roomId, readOutcome(issues, 'draft'), 'Relay it')) { say('Relay cancelled'); return; }
        await act('Relay text', async () => {
        const drafted = await api('POST', `/api/rooms/${roomId}/texts`, { outcome: readOutcome(issues, 'draft'), note: document.getElementById('draft-note').value || undefined });
        const to = principals.filter((p) => document.getElementById(`relay-${p}`).checked);
        return api('POST', `/api/rooms/${roomId}/texts/${drafted.version}/relay`, { to });
      }, 'draft-');
      }, text: 'Save and relay' })));

  const texts = panel('Texts and responses',
    room.texts.length === 0 ? h('p', { class: 'note', text: 'No text yet.' }) :
      h('table', { id: 'texts-table' }, h('tr', {}, h('th', { text: 'version' }), h('th', { text: 'content (changes from the previous version)' }), h('th', { text: 'relayed to' }), principals.map((p, i) => h('th', { style: `color:${colour(i)}`, class: 'party', 'data-party': p, text: partyName(p) }))),
        [...room.texts].reverse().map((text) => h('tr', {},
          h('td', { text: text.version }),
          // One clause a line: a whole text in a narrow column reads as a list, not a wall.
          h('td', { class: 'text-content' }, (() => {
            const previous = room.texts.find((t) => t.version === text.version - 1);
            if (!previous) return issues.map((i) => h('div', { text: `${i.name}: ${optionName(i, text.outcome[i.id])};` }));
            const changed = issues.filter((i) => String(previous.outcome[i.id]) !== String(text.outcome[i.id]));
            return changed.length === 0 ? 'same as the previous version'
              : changed.map((i) => h('div', { text: `${i.name}: ${optionName(i, previous.outcome[i.id])} → ${optionName(i, text.outcome[i.id])};` }));
          })()), h('td', {}, partyNames(text.relayed_to) || 'draft', open && text.relayed_to.length === 0 && h('button', {
            class: 'secondary', id: `relay-saved-${text.version}`, onclick: async () => {
              if (!await confirmText(ui, roomId, text.outcome, 'Relay it')) { say('Relay cancelled'); return; }
              const to = principals.filter((p) => document.getElementById(`relay-${p}`).checked);
              await act(`Relay version ${text.version}`, () => api('POST', `/api/rooms/${roomId}/texts/${text.version}/relay`, { to }));
            }, text: 'Relay' })),
          principals.map((p) => {
            const response = text.responses[p];
            if (!response) return h('td', { text: '—' });
            const rejected = Object.entries(response.clauses).filter(([, v]) => v === 'reject').map(([k]) => issueName(k));
            return h('td', { class: response.accept ? 'accept' : 'reject', text: response.accept ? 'accepts' : `rejects ${rejected.join(', ')}` });
          })))));

  const analysisPanel = analysis.error ? panel('Analysis', h('p', { class: 'note', text: analysis.error })) :
    panel('Analysis',
      analysis.parties.length === 2 ? utilitySpace(analysis, {
        colours: Object.fromEntries(principals.map((p, i) => [p, colour(i)])),
        names: Object.fromEntries(principals.map((p) => [p, partyName(p)])) }) : h('p', { class: 'note', text: 'The picture shows two principals.' }),
      h('p', {}, `Zone of agreement: ${analysis.zopa.empty ? 'empty' : `${analysis.zopa.count} outcomes (${(analysis.zopa.fraction * 100).toFixed(2)}%)`}`),
      analysis.nash.defined && h('p', {}, 'Nash point: ', outcomeWords(analysis.nash.outcome)),
      h('p', { class: 'note', text: analysis.obstacles.summary }),
      analysis.preferences_submitted_by.length > 0 && h('p', { class: 'note', text: `Uses preferences confided by ${partyNames(analysis.preferences_submitted_by)}; the scenario's otherwise.` }));

  // Time in minutes once the talks have run two; in seconds before (a screenful of 0.01 min ticks reads badly).
  const start = pace.gaps.length ? pace.gaps[0].at_ms : Date.now();
  const span = pace.gaps.length ? (pace.gaps[pace.gaps.length - 1].at_ms - start) / 1000 : 0;
  const perUnit = span >= 120 ? 60000 : 1000;
  const at = (g) => (g.at_ms - start) / perUnit;
  const gapSeries = issues.map((issue, i) => ({ name: issue.name, key: issue.id, colour: seriesColour(i), points: pace.gaps.map((g) => [at(g), g.issues[issue.id]]) }));
  gapSeries.push({ name: 'overall', key: 'overall', colour: '#1d232b', width: 3, points: pace.gaps.map((g) => [at(g), g.overall]) });
  const pct = (p) => `${Math.round(p * 100)}%`;
  const forecast = pace.forecast;
  const pacePanel = panel('Pace',
    h('p', { id: 'since-movement' }, `Last movement ${Math.round(pace.seconds_since_last_movement)} s ago.`),
    forecast && !forecast.error
      ? h('div', { id: 'forecast' },
        h('p', { class: 'forecast-figure' }, 'Is a deal near? Agreement by round ', String(forecast.deadline_round), ': ',
          h('strong', { text: pct(forecast.agreement_probability.estimate) }),
          ` (95% interval ${pct(forecast.agreement_probability.low)} to ${pct(forecast.agreement_probability.high)})`),
        h('p', { class: 'note', text: forecast.summary }))
      : h('p', { class: 'note', text: 'The forecast appears once principals have proposed.' }),
    pace.gaps.length ? lineChart(gapSeries, { xLabel: `time since the first gap (${perUnit === 1000 ? 's' : 'min'})`, yLabel: 'gap (0 same, 1 apart)' }) : h('p', { class: 'note', text: 'Gaps appear once two principals have proposed.' }),
    h('table', {}, h('tr', {}, ['party', 'round', 'own utility', 'concession'].map((t) => h('th', { text: t }))),
      pace.concessions.slice(-8).map((c) => h('tr', {}, [partyName(c.party), c.round, formatValue(c.utility), formatValue(c.concession)].map((v) => h('td', { text: v }))))));

  const groups = panel('Working groups',
    h('ul', {}, room.groups.map((g) => h('li', {}, `${g.name} (${g.issues.map(issueName).join(', ')}): `,
      g.clauses.map((c) => h('span', {}, `${issueName(c.issue)} `, statusBadge(c.status), ' ')),
      open && h('button', { class: 'secondary', onclick: () => act('Invite member', async () => {
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'member', group: g.id });
        cache.invites.push({ label: `member of ${g.name}`, token: result.token });
      }), text: 'Invite member' })))),
    open && h('div', { class: 'row' },
      h('label', { for: 'group-name', text: 'New group' }), h('input', { type: 'text', id: 'group-name', size: 16 }),
      issues.map((i) => h('label', {}, h('input', { type: 'checkbox', id: `group-issue-${i.id}` }), ` ${i.name}`)),
      h('button', { class: 'secondary', onclick: () => act('Open working group', () => api('POST', `/api/rooms/${roomId}/groups`, {
        name: document.getElementById('group-name').value || 'technical team',
        issues: issues.filter((i) => document.getElementById(`group-issue-${i.id}`).checked).map((i) => i.id) })), text: 'Open group' })));

  const log = (await api('GET', `/api/rooms/${roomId}/log`)).events;
  const messages = panel('Messages and log',
    open && h('div', { class: 'row' },
      h('label', { for: 'message-to', text: 'To' }),
      h('select', { id: 'message-to' }, principals.map((p) => h('option', { value: p, text: partyName(p) })), room.groups.map((g) => h('option', { value: `group:${g.id}`, text: `working group “${g.name}”` }))),
      h('input', { type: 'text', id: 'message-text', size: 40, 'aria-label': 'message' }),
      h('button', { class: 'secondary', onclick: () => act('Send message', () => api('POST', `/api/rooms/${roomId}/messages`, {
        to: [document.getElementById('message-to').value], text: document.getElementById('message-text').value }), 'message-'), text: 'Send' })),
    logList(log),
    open && h('button', { class: 'secondary', id: 'close-room', onclick: () => { if (confirm('Close the room without agreement?')) act('Close room', () => api('POST', `/api/rooms/${roomId}/close`, {})); }, text: 'Close the room' }),
    h('a', { href: '#', onclick: async (e) => { e.preventDefault(); const trace = await api('GET', `/api/rooms/${roomId}/export`);
      const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(trace, null, 1)], { type: 'application/json' })), download: `${roomId}.trace.json` }); link.click(); }, text: ' Download the trace' }));

  analysisPanel.classList.add('chart-panel');
  pacePanel.classList.add('chart-panel');
  const suggestions = panel('Suggestions', h('p', { class: 'note', text: 'Texts every principal accepts (at or above its reservation value, no red line crossed), ranked; or, when there are none, what would open one.' }),
    ...suggestionsPanel(ui, roomId, issues, () => readOutcome(issues, 'draft')));
  const agreement = await agreementBanner(room);
  app.replaceChildren(
    h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status }), h('span', { class: 'note', text: ` round ${room.round} of ${room.max_rounds} · room ${room.id}` })),
    ...roomBanner(room), ...(agreement ? [agreement] : []),
    h('div', { class: 'grid' }, protocolPanel(room), positions, suggestions, analysisPanel, texts, pacePanel, participants, groups, messages));
  // After restoreEdits (refresh) has put back what the mediator was editing.
  setTimeout(() => liveEvaluation(ui, roomId, positions, document.getElementById('draft-evaluation'), () => readOutcome(issues, 'draft')), 0);
}

// ------------------------------------------------------------------ principal

async function partyView() {
  const roomId = me.room;
  const [room, preferences, log] = await Promise.all([
    api('GET', `/api/rooms/${roomId}`),
    api('GET', `/api/rooms/${roomId}/preferences`),
    api('GET', `/api/rooms/${roomId}/log`),
  ]);
  learnRoom(room);
  const issues = room.scenario.issues;
  const open = room.status === 'open';
  const text = room.current_text;
  const textPanel = widePanel('The mediator\'s current text',
    !text ? h('p', { class: 'note', id: 'no-text', text: 'The mediator has not sent you a text yet.' }) : h('div', { id: 'current-text' },
      h('p', {}, `Version ${text.version}`, text.my_response ? h('span', { class: text.my_response.accept ? 'accept' : 'reject', text: text.my_response.accept ? ' — you accepted it' : ' — you did not accept it' }) : ''),
      h('table', {}, h('tr', {}, ['clause', 'text says', 'status', 'your response'].map((t) => h('th', { text: t }))),
        issues.map((issue, issueIdx) => h('tr', {},
          h('th', { scope: 'row', text: issue.name }), h('td', { text: optionName(issue, text.outcome[issue.id]) }), h('td', {}, statusBadge(text.clauses[issueIdx].status)),
          h('td', {}, h('fieldset', { style: 'border:0;padding:0;margin:0' }, h('legend', { class: 'note', text: issue.name, style: 'position:absolute;left:-9999px' }),
            ['accept', 'reject'].map((choice) => h('label', {}, h('input', { type: 'radio', name: `response-${issue.id}`, value: choice,
              checked: text.my_response ? text.my_response.clauses[issue.id] === choice : choice === 'accept', disabled: !open || !!text.my_response }), ` ${choice}`))))))),
      open && !text.my_response && h('div', { class: 'row' },
        h('label', { for: 'response-note', text: 'Note' }), h('input', { type: 'text', id: 'response-note', size: 30 }),
        h('button', { id: 'send-response', onclick: async () => {
          const clauses = {};
          for (const issue of issues) clauses[issue.id] = document.querySelector(`input[name="response-${issue.id}"]:checked`).value;
          if (Object.values(clauses).every((c) => c === 'accept') && !await confirmText(ui, roomId, text.outcome, 'Accept it')) { say('Response not sent'); return; }
          await act('Send response', () => api('POST', `/api/rooms/${roomId}/responses`, { version: text.version, clauses, note: document.getElementById('response-note').value || undefined }), 'response-');
        }, text: 'Send response' }),
        h('button', { id: 'accept-all', class: 'secondary', onclick: async () => {
          if (!await confirmText(ui, roomId, text.outcome, 'Accept it')) { say('Not accepted'); return; }
          await act('Accept the text', () => api('POST', `/api/rooms/${roomId}/responses`, { version: text.version, accept: true }));
        }, text: 'Accept the whole text' }))));
  if (text) {
    const worth = await evaluate(ui, roomId, text.outcome).then((e) => evaluationView(ui, e, 'text-evaluation'), (error) => h('p', { class: 'note', text: error.message }));
    textPanel.append(h('h3', { text: 'What this text is worth to you' }), worth);
  }

  const lastProposal = (room.my_proposals || [])[(room.my_proposals || []).length - 1];
  const settled = (room.protocol && room.protocol.settled) || {};
  const proposalPanel = panel('Make a proposal to the mediator',
    h('table', {}, issues.map((issue) => h('tr', {}, h('th', { scope: 'row' }, h('label', { for: `proposal-${issue.id}`, text: issue.name }), phaseNote(room, issue)),
      h('td', {}, optionSelect(issue, `proposal-${issue.id}`, issue.id in settled ? settled[issue.id] : lastProposal ? lastProposal.outcome[issue.id] : text ? text.outcome[issue.id] : undefined, !open || issue.id in settled))))),
    h('h3', { text: 'What this proposal is worth to you' }),
    h('div', { id: 'proposal-evaluation' }),
    h('div', { class: 'row' }, h('label', { for: 'proposal-note', text: 'Note' }), h('input', { type: 'text', id: 'proposal-note', size: 30 }),
      open && h('button', { id: 'send-proposal', onclick: () => act('Send proposal', () => api('POST', `/api/rooms/${roomId}/proposals`, {
        outcome: readOutcome(issues, 'proposal'), note: document.getElementById('proposal-note').value || undefined }), 'proposal-'), text: 'Send proposal' })));

  const prefsPanel = panel('Your preferences (seen only by you and the mediator)',
    h('p', { class: 'note', text: preferences.source === 'submitted' ? 'You submitted these.' : 'These are the scenario\'s; you may change the weights or accept them.' }),
    preferences.weights ? h('table', {}, h('tr', {}, h('th', { text: 'issue' }), h('th', { text: 'weight' })),
      issues.map((issue) => h('tr', {}, h('th', { scope: 'row' }, h('label', { for: `weight-${issue.id}`, text: issue.name })),
        h('td', {}, h('input', { type: 'number', id: `weight-${issue.id}`, min: 0, max: 1, step: 0.01, value: formatValue(preferences.weights[issue.id]) }))))) : null,
    h('p', {}, `Reservation value: ${formatValue(preferences.reservation)}`),
    preferences.red_lines.length > 0 && h('p', {}, 'Red lines: ', preferences.red_lines.join('; ')),
    open && h('div', { class: 'row' },
      preferences.weights && h('button', { class: 'secondary', onclick: () => act('Submit preferences', () => {
        const weights = {};
        for (const issue of issues) weights[issue.id] = Number(document.getElementById(`weight-${issue.id}`).value);
        return api('PUT', `/api/rooms/${roomId}/preferences`, { weights });
      }), text: 'Submit these weights' }),
      h('button', { class: 'secondary', id: 'accept-preferences', onclick: () => act('Accept the scenario\'s preferences', () => api('PUT', `/api/rooms/${roomId}/preferences`, { accept_scenario: true })), text: 'Accept the scenario\'s' })));

  const historyPanel = panel('Your history',
    open && h('div', { class: 'row' }, h('label', { for: 'message-text', text: 'Message the mediator' }),
      h('input', { type: 'text', id: 'message-text', size: 36 }),
      h('button', { class: 'secondary', onclick: () => act('Send message', () => api('POST', `/api/rooms/${roomId}/messages`, { text: document.getElementById('message-text').value }), 'message-'), text: 'Send' })),
    logList(log.events));

  const agreement = await agreementBanner(room);
  app.replaceChildren(
    h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status }), h('span', { class: 'note', text: ` you represent ${partyName(me.participant.party)}` })),
    ...roomBanner(room), ...(agreement ? [agreement] : []),
    h('div', { class: 'grid' }, protocolPanel(room), textPanel, proposalPanel, prefsPanel, historyPanel));
  setTimeout(() => liveEvaluation(ui, roomId, proposalPanel, document.getElementById('proposal-evaluation'), () => readOutcome(issues, 'proposal')), 0);
}

// ------------------------------------------------------------------ working-group member, observer

async function memberView() {
  const roomId = me.room;
  const [room, log] = await Promise.all([api('GET', `/api/rooms/${roomId}`), api('GET', `/api/rooms/${roomId}/log`)]);
  const group = room.group;
  learnRoom(room);
  const open = room.status === 'open';
  const thread = log.events.filter((event) => event.type === 'message');
  const clauses = panel('Clauses', h('table', {}, h('tr', {}, ['issue', 'draft says', 'status'].map((t) => h('th', { text: t }))),
    group.clauses.map((clause) => h('tr', {}, h('th', { scope: 'row', text: issueName(clause.issue) }), h('td', { text: clause.option == null ? '—' : optionName(issueById(clause.issue), clause.option) }),
      h('td', {}, h('select', { 'aria-label': `status of ${issueName(clause.issue)}`, disabled: !open, onchange: (e) => act(`Clause ${issueName(clause.issue)}`, () => api('PUT', `/api/rooms/${roomId}/clauses/${clause.issue}`, { status: e.target.value })) },
        ['open', 'agreed_in_principle', 'finalised'].map((s) => h('option', { value: s, selected: clause.status === s, text: s.replaceAll('_', ' ') }))))))));
  // A member may write to the mediator (only the mediator reads it) or to its own working group
  // (its members and the mediator read it); no delegation reads either (docs/http-api.md).
  const messages = panel('Messages',
    h('p', { class: 'note', id: 'member-audience', text: `Write to the mediator (only the mediator reads it) or to your working group (its ${group.members.length} member${group.members.length === 1 ? '' : 's'} and the mediator read it). The delegations read neither.` }),
    open && h('div', { class: 'row' },
      h('label', { for: 'message-to', text: 'To' }),
      h('select', { id: 'message-to' }, h('option', { value: 'mediator', text: 'the mediator' }), h('option', { value: `group:${group.id}`, text: `working group “${group.name}”` })),
      h('input', { type: 'text', id: 'message-text', size: 40, 'aria-label': 'message' }),
      h('button', { id: 'send-message', onclick: () => act('Send message', () => api('POST', `/api/rooms/${roomId}/messages`, {
        to: [document.getElementById('message-to').value], text: document.getElementById('message-text').value }), 'message-text'), text: 'Send' })),
    thread.length === 0 ? h('p', { class: 'note', id: 'no-messages', text: 'No messages yet.' }) : h('div', { id: 'member-thread' }, logList(thread)));
  app.replaceChildren(h('h2', {}, `${room.title}: working group “${group.name}”`, h('span', { class: 'note', text: ` on ${group.issues.map(issueName).join(', ')}` })), ...roomBanner(room),
    h('div', { class: 'grid' }, protocolPanel(room), clauses, messages, panel('Log', logList(log.events.filter((event) => event.type !== 'message')))));
}

async function observerView() {
  const room = await api('GET', `/api/rooms/${me.room}`);
  const log = (await api('GET', `/api/rooms/${me.room}/log`)).events;
  learnRoom(room);
  app.replaceChildren(h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status })), ...roomBanner(room),
    h('div', { class: 'grid' }, protocolPanel(room),
      panel('Clauses', h('ul', {}, room.clauses.map((c) => h('li', {}, `${issueName(c.issue)} `, statusBadge(c.status))))),
      panel('Log', logList(log))));
}

// The chair of a room whose protocol has no mediator: invites, adds engines and closes; sees what
// an observer sees (never a principal's preferences).
async function chairView() {
  const roomId = me.room;
  const [room, log] = await Promise.all([api('GET', `/api/rooms/${roomId}`), api('GET', `/api/rooms/${roomId}/log`)]);
  if (!cache.strategies) cache.strategies = (await api('GET', '/api/strategies')).strategies;
  learnRoom(room);
  const open = room.status === 'open';
  const seated = new Set(room.participants.filter((p) => p.role === 'principal' || p.engine).map((p) => p.party));
  const free = room.principals.filter((p) => !seated.has(p));
  const participants = panel('Participants',
    h('table', {}, h('tr', {}, ['id', 'role', 'party', 'name'].map((t) => h('th', { text: t }))),
      room.participants.map((p) => h('tr', {}, [p.id, p.role, p.party ? partyName(p.party) : p.group || '', p.engine ? `engine: ${p.engine}` : (p.name || '')].map((v) => h('td', { text: v }))))),
    open && free.length > 0 && h('div', { class: 'row' },
      h('label', { for: 'invite-party', text: 'Invite a delegation' }),
      h('select', { id: 'invite-party' }, free.map((p) => h('option', { value: p, text: partyName(p) }))),
      h('button', { id: 'invite', onclick: () => act('Invite', async () => {
        const party = document.getElementById('invite-party').value;
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'principal', party });
        cache.invites.push({ label: partyName(party), token: result.token, party });
      }), text: 'Invite' }),
      h('label', { for: 'engine-strategy', text: 'or an engine with strategy' }),
      h('select', { id: 'engine-strategy' }, cache.strategies.filter((s) => s.roles.includes('principal')).map((s) => h('option', { value: s.name, title: s.summary, text: s.name }))),
      h('button', { class: 'secondary', id: 'add-engine', onclick: () => act('Add engine party', () => api('POST', `/api/rooms/${roomId}/engines`, {
        party: document.getElementById('invite-party').value, strategy: document.getElementById('engine-strategy').value })), text: 'Add engine' })),
    open && h('div', { class: 'row' }, h('button', { class: 'secondary', id: 'invite-observer', onclick: () => act('Invite observer', async () => {
      const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'observer' });
      cache.invites.push({ label: 'observer', token: result.token });
    }), text: 'Invite an observer' })),
    cache.invites.length > 0 && h('ul', {}, cache.invites.map((invite) => h('li', {}, `${invite.label}: `,
      h('code', { class: 'token', id: invite.party ? `invite-${invite.party}` : null, text: inviteLink(invite.token) })))));
  app.replaceChildren(
    h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status }), h('span', { class: 'note', text: ` you chair this room · room ${room.id}` })),
    ...roomBanner(room),
    h('div', { class: 'grid' }, protocolPanel(room), participants,
      panel('Log', logList(log),
        open && h('button', { class: 'secondary', id: 'close-room', onclick: () => { if (confirm('Close the room without agreement?')) act('Close room', () => api('POST', `/api/rooms/${roomId}/close`, {})); }, text: 'Close the room' }))));
}

// ------------------------------------------------------------------ start

async function start(newToken) {
  token = newToken;
  if (!token) { signInView(); return; }
  try {
    me = await api('GET', '/api/whoami');
  } catch (error) {
    sessionStorage.removeItem('parley-token');
    signInView(`That token was not accepted: ${error.message}`);
    return;
  }
  sessionStorage.setItem('parley-token', token);
  signOut.hidden = false;
  const views = { admin: adminView, mediator: mediatorView, principal: partyView, member: memberView, observer: observerView, chair: chairView };
  render = views[me.role];
  who.textContent = me.role === 'admin' ? 'administrator' : `${me.role}${me.participant && me.participant.party ? ` · ${me.participant.party}` : ''}`;
  if (me.room) follow(me.room);
  await refresh();
}

signOut.addEventListener('click', () => {
  sessionStorage.removeItem('parley-token');
  if (events) events.close();
  location.hash = '';
  location.reload();
});

function tokenFromLink() {
  const fromLink = new URLSearchParams(location.hash.slice(1)).get('token');
  if (fromLink) history.replaceState(null, '', location.pathname);
  return fromLink;
}

// Opening another invite link in the same tab changes only the hash.
window.addEventListener('hashchange', () => {
  const fromLink = tokenFromLink();
  if (fromLink) {
    edited.clear();
    start(fromLink);
  }
});
start(tokenFromLink() || sessionStorage.getItem('parley-token') || '');
