// parley live: the browser UI. Plain ES modules, no build step. One page serves every role; the
// token (from an invite link "#token=..." or typed in) decides the view. Live updates come from the
// server-sent event stream of the room; each event refreshes the view from the API.
import { colour, lineChart, utilitySpace } from './charts.js';

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
    if (!input) continue;
    if (input.type === 'checkbox') input.checked = value;
    else if (input.type !== 'file') input.value = value;
  }
}

const EVENT_TYPES = ['room_created', 'participant_added', 'preferences_submitted', 'proposal',
  'text_drafted', 'text_relayed', 'response', 'message', 'group_created', 'clause_status',
  'agreement', 'closed'];

// ------------------------------------------------------------------ helpers

function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else if (key === 'text') node.textContent = value;
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

function optionSelect(issue, id, selected) {
  if (!issue.options) {
    return h('input', { type: 'number', id, value: selected ?? issue.lower, min: issue.lower, max: issue.upper, step: issue.step || 1, 'aria-label': issue.name });
  }
  return h('select', { id, 'aria-label': issue.name },
    issue.options.map((option) => h('option', { value: option, selected: String(option) === String(selected) }, option)));
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

function statusBadge(status) {
  return h('span', { class: `badge ${status}`, text: status.replaceAll('_', ' ') });
}

function formatValue(value) { return typeof value === 'number' ? Number(value.toFixed(3)) : value; }

function describeEvent(event) {
  const body = event.body || {};
  switch (event.type) {
    case 'proposal': return `${body.party} proposed ${JSON.stringify(body.outcome)}${body.note ? ` — “${body.note}”` : ''}`;
    case 'text_drafted': return `draft text version ${body.version}`;
    case 'text_relayed': return `text version ${body.version} relayed to ${body.to.join(', ')}`;
    case 'response': return `${body.party} ${body.accept ? 'accepted' : 'did not accept'} version ${body.version}${body.note ? ` — “${body.note}”` : ''}`;
    case 'message': return `message from ${body.party || body.from} to ${body.to.join(', ')}: ${body.text}`;
    case 'preferences_submitted': return `${body.party} submitted preferences`;
    case 'participant_added': return `${body.participant.role} ${body.participant.party || body.participant.group || ''} joined`;
    case 'group_created': return `working group “${body.group.name}” on ${body.group.issues.join(', ')}`;
    case 'clause_status': return `clause ${body.issue}: ${body.status.replaceAll('_', ' ')}`;
    case 'agreement': return `agreement on text version ${body.version}`;
    case 'closed': return `room closed: ${body.reason}`;
    default: return event.type;
  }
}

function logList(log) {
  return h('ol', { class: 'log', reversed: true },
    [...log].reverse().map((event) => h('li', {}, h('time', { text: new Date(event.at_ms).toLocaleTimeString() }), ' ', describeEvent(event))));
}

function roomBanner(room) {
  const parts = [];
  if (room.scenario.banner) parts.push(h('p', { class: 'note', text: room.scenario.banner }));
  if (room.status === 'agreed') {
    parts.push(h('p', { class: 'banner agreed', id: 'agreement', text: `Agreement reached on text version ${room.agreement.version}` }));
  } else if (room.status === 'closed') {
    parts.push(h('p', { class: 'banner closed', text: `The room is closed: ${room.end_reason}` }));
  }
  return parts;
}

async function refresh() {
  clearTimeout(refreshTimer);
  try {
    await render();
    restoreEdits();
  } catch (error) {
    say(error.message, true);
  }
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
      h('button', { id: 'create-room', onclick: () => act('Create room', async () => {
        const body = { scenario: document.getElementById('scenario-text').value, rounds: Number(document.getElementById('room-rounds').value) };
        const title = document.getElementById('room-title').value.trim();
        if (title) body.title = title;
        const result = await api('POST', '/api/rooms', body);
        cache.invites.push({ label: `mediator of ${result.room.title}`, token: result.token });
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
  const [room, analysis, pace] = await Promise.all([
    api('GET', `/api/rooms/${roomId}`),
    api('GET', `/api/rooms/${roomId}/analysis`).catch((error) => ({ error: error.message })),
    api('GET', `/api/rooms/${roomId}/pace`),
  ]);
  if (!cache.strategies) cache.strategies = (await api('GET', '/api/strategies')).strategies;
  const issues = room.scenario.issues;
  const principals = room.principals;
  const joined = new Set(room.participants.filter((p) => p.role === 'principal').map((p) => p.party));
  const latestText = room.texts[room.texts.length - 1];
  const open = room.status === 'open';
  const draftDefault = (issue) => {
    if (latestText) return latestText.outcome[issue.id];
    if (analysis.nash && analysis.nash.defined) return analysis.nash.outcome[issue.id];
    return issue.options ? issue.options[0] : issue.lower;
  };

  const participants = panel('Participants',
    h('table', {}, h('tr', {}, ['id', 'role', 'party / group', 'name'].map((t) => h('th', { text: t }))),
      room.participants.map((p) => h('tr', {}, [p.id, p.role, p.party || p.group || '', p.engine ? `engine: ${p.engine}` : (p.name || '')].map((v) => h('td', { text: v }))))),
    open && h('div', { class: 'row' },
      h('label', { for: 'invite-party', text: 'Invite a delegation' }),
      h('select', { id: 'invite-party' }, principals.filter((p) => !joined.has(p)).map((p) => h('option', { value: p, text: p }))),
      h('button', { id: 'invite', onclick: () => act('Invite', async () => {
        const party = document.getElementById('invite-party').value;
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'principal', party });
        cache.invites.push({ label: party, token: result.token, party });
      }), text: 'Invite' })),
    open && h('div', { class: 'row' },
      h('label', { for: 'engine-party', text: 'Engine plays' }),
      h('select', { id: 'engine-party' }, principals.filter((p) => !joined.has(p)).map((p) => h('option', { value: p, text: p }))),
      h('label', { for: 'engine-strategy', text: 'strategy' }),
      h('select', { id: 'engine-strategy' }, cache.strategies.filter((s) => s.roles.includes('principal')).map((s) => h('option', { value: s.name, title: s.summary, text: s.name }))),
      h('button', { class: 'secondary', onclick: () => act('Add engine party', () => api('POST', `/api/rooms/${roomId}/engines`, {
        party: document.getElementById('engine-party').value, strategy: document.getElementById('engine-strategy').value })), text: 'Add engine' })),
    cache.invites.length > 0 && h('ul', {}, cache.invites.map((invite) => h('li', {}, `${invite.label}: `,
      h('code', { class: 'token', id: invite.party ? `invite-${invite.party}` : null, text: inviteLink(invite.token) })))));

  const positions = widePanel('Positions and draft text',
    h('table', {},
      h('tr', {}, h('th', { text: 'issue' }), principals.map((p, i) => h('th', { style: `color:${colour(i)}`, text: p })), h('th', { text: 'draft' }), h('th', { text: 'clause status' })),
      issues.map((issue, issueIdx) => h('tr', {},
        h('th', { scope: 'row', text: issue.name }),
        principals.map((p) => h('td', { text: room.latest_positions[p] ? room.latest_positions[p].outcome[issue.id] : '—' })),
        h('td', {}, optionSelect(issue, `draft-${issue.id}`, draftDefault(issue))),
        h('td', {}, h('select', { id: `status-${issue.id}`, 'aria-label': `status of ${issue.name}`, disabled: !open,
          onchange: (e) => act(`Clause ${issue.id}`, () => api('PUT', `/api/rooms/${roomId}/clauses/${issue.id}`, { status: e.target.value })) },
          ['open', 'agreed_in_principle', 'finalised'].map((s) => h('option', { value: s, selected: room.clauses[issueIdx].status === s, text: s.replaceAll('_', ' ') }))))))),
    h('div', { class: 'row' },
      h('label', { for: 'draft-note', text: 'Note' }), h('input', { type: 'text', id: 'draft-note', size: 40 })),
    open && h('div', { class: 'row' },
      h('button', { id: 'save-draft', class: 'secondary', onclick: () => act('Save draft', () => api('POST', `/api/rooms/${roomId}/texts`, {
        outcome: readOutcome(issues, 'draft'), note: document.getElementById('draft-note').value || undefined }), 'draft-'), text: 'Save draft' }),
      principals.map((p) => h('label', {}, h('input', { type: 'checkbox', id: `relay-${p}`, checked: true }), ` ${p}`)),
      h('button', { id: 'save-and-relay', onclick: () => act('Relay text', async () => {
        const drafted = await api('POST', `/api/rooms/${roomId}/texts`, { outcome: readOutcome(issues, 'draft'), note: document.getElementById('draft-note').value || undefined });
        const to = principals.filter((p) => document.getElementById(`relay-${p}`).checked);
        return api('POST', `/api/rooms/${roomId}/texts/${drafted.version}/relay`, { to });
      }, 'draft-'), text: 'Save and relay' })));

  const texts = panel('Texts and responses',
    room.texts.length === 0 ? h('p', { class: 'note', text: 'No text yet.' }) :
      h('table', { id: 'texts-table' }, h('tr', {}, h('th', { text: 'version' }), h('th', { text: 'relayed to' }), principals.map((p) => h('th', { text: p }))),
        [...room.texts].reverse().map((text) => h('tr', {},
          h('td', { text: text.version }), h('td', { text: text.relayed_to.join(', ') || 'draft' }),
          principals.map((p) => {
            const response = text.responses[p];
            if (!response) return h('td', { text: '—' });
            const rejected = Object.entries(response.clauses).filter(([, v]) => v === 'reject').map(([k]) => k);
            return h('td', { class: response.accept ? 'accept' : 'reject', text: response.accept ? 'accepts' : `rejects ${rejected.join(', ')}` });
          })))));

  const analysisPanel = analysis.error ? panel('Analysis', h('p', { class: 'note', text: analysis.error })) :
    panel('Analysis',
      analysis.parties.length === 2 ? utilitySpace(analysis) : h('p', { class: 'note', text: 'The picture shows two principals.' }),
      h('p', { class: 'legend' }, h('span', { text: '● latest proposals' }), h('span', { text: '■ texts' }), h('span', { text: '▲ Nash point' }), h('span', { text: '· frontier' })),
      h('p', {}, `Zone of agreement: ${analysis.zopa.empty ? 'empty' : `${analysis.zopa.count} outcomes (${(analysis.zopa.fraction * 100).toFixed(2)}%)`}`),
      analysis.nash.defined && h('p', {}, 'Nash point: ', issues.map((i) => `${i.id}=${analysis.nash.outcome[i.id]}`).join(', ')),
      h('p', { class: 'note', text: analysis.obstacles.summary }),
      analysis.preferences_submitted_by.length > 0 && h('p', { class: 'note', text: `Uses preferences confided by ${analysis.preferences_submitted_by.join(', ')}; the scenario's otherwise.` }));

  const start = pace.gaps.length ? pace.gaps[0].at_ms : Date.now();
  const gapSeries = issues.map((issue, i) => ({ name: issue.id, colour: colour(i), points: pace.gaps.map((g) => [(g.at_ms - start) / 1000, g.issues[issue.id]]) }));
  gapSeries.push({ name: 'overall', colour: '#1d232b', width: 3, points: pace.gaps.map((g) => [(g.at_ms - start) / 1000, g.overall]) });
  const pacePanel = panel('Pace',
    h('p', { id: 'since-movement' }, `Last movement ${Math.round(pace.seconds_since_last_movement)} s ago.`),
    pace.gaps.length ? lineChart(gapSeries, { xLabel: 'seconds since the first gap', yLabel: 'gap between positions' }) : h('p', { class: 'note', text: 'Gaps appear once two principals have proposed.' }),
    h('p', { class: 'legend' }, gapSeries.map((s) => h('span', { style: `color:${s.colour}`, text: `— ${s.name}` }))),
    h('table', {}, h('tr', {}, ['party', 'round', 'own utility', 'concession'].map((t) => h('th', { text: t }))),
      pace.concessions.slice(-8).map((c) => h('tr', {}, [c.party, c.round, formatValue(c.utility), formatValue(c.concession)].map((v) => h('td', { text: v }))))));

  const groups = panel('Working groups',
    h('ul', {}, room.groups.map((g) => h('li', {}, `${g.name} (${g.issues.join(', ')}): `,
      g.clauses.map((c) => h('span', {}, `${c.issue} `, statusBadge(c.status), ' ')),
      open && h('button', { class: 'secondary', onclick: () => act('Invite member', async () => {
        const result = await api('POST', `/api/rooms/${roomId}/participants`, { role: 'member', group: g.id });
        cache.invites.push({ label: `member of ${g.name}`, token: result.token });
      }), text: 'Invite member' })))),
    open && h('div', { class: 'row' },
      h('label', { for: 'group-name', text: 'New group' }), h('input', { type: 'text', id: 'group-name', size: 16 }),
      issues.map((i) => h('label', {}, h('input', { type: 'checkbox', id: `group-issue-${i.id}` }), ` ${i.id}`)),
      h('button', { class: 'secondary', onclick: () => act('Open working group', () => api('POST', `/api/rooms/${roomId}/groups`, {
        name: document.getElementById('group-name').value || 'technical team',
        issues: issues.filter((i) => document.getElementById(`group-issue-${i.id}`).checked).map((i) => i.id) })), text: 'Open group' })));

  const log = (await api('GET', `/api/rooms/${roomId}/log`)).events;
  const messages = panel('Messages and log',
    open && h('div', { class: 'row' },
      h('label', { for: 'message-to', text: 'To' }),
      h('select', { id: 'message-to' }, principals.map((p) => h('option', { value: p, text: p })), room.groups.map((g) => h('option', { value: `group:${g.id}`, text: g.name }))),
      h('input', { type: 'text', id: 'message-text', size: 40, 'aria-label': 'message' }),
      h('button', { class: 'secondary', onclick: () => act('Send message', () => api('POST', `/api/rooms/${roomId}/messages`, {
        to: [document.getElementById('message-to').value], text: document.getElementById('message-text').value }), 'message-'), text: 'Send' })),
    logList(log),
    open && h('button', { class: 'secondary', id: 'close-room', onclick: () => { if (confirm('Close the room without agreement?')) act('Close room', () => api('POST', `/api/rooms/${roomId}/close`, {})); }, text: 'Close the room' }),
    h('a', { href: '#', onclick: async (e) => { e.preventDefault(); const trace = await api('GET', `/api/rooms/${roomId}/export`);
      const link = h('a', { href: URL.createObjectURL(new Blob([JSON.stringify(trace, null, 1)], { type: 'application/json' })), download: `${roomId}.trace.json` }); link.click(); }, text: ' Download the trace' }));

  app.replaceChildren(
    h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status }), h('span', { class: 'note', text: ` round ${room.round} of ${room.max_rounds} · room ${room.id}` })),
    ...roomBanner(room),
    h('div', { class: 'grid' }, positions, analysisPanel, texts, pacePanel, participants, groups, messages));
}

// ------------------------------------------------------------------ principal

async function partyView() {
  const roomId = me.room;
  const [room, preferences, log] = await Promise.all([
    api('GET', `/api/rooms/${roomId}`),
    api('GET', `/api/rooms/${roomId}/preferences`),
    api('GET', `/api/rooms/${roomId}/log`),
  ]);
  const issues = room.scenario.issues;
  const open = room.status === 'open';
  const text = room.current_text;
  const textPanel = widePanel('The mediator\'s current text',
    !text ? h('p', { class: 'note', id: 'no-text', text: 'The mediator has not sent you a text yet.' }) : h('div', { id: 'current-text' },
      h('p', {}, `Version ${text.version}`, text.my_response ? h('span', { class: text.my_response.accept ? 'accept' : 'reject', text: text.my_response.accept ? ' — you accepted it' : ' — you did not accept it' }) : ''),
      h('table', {}, h('tr', {}, ['clause', 'text says', 'status', 'your response'].map((t) => h('th', { text: t }))),
        issues.map((issue, issueIdx) => h('tr', {},
          h('th', { scope: 'row', text: issue.name }), h('td', { text: text.outcome[issue.id] }), h('td', {}, statusBadge(text.clauses[issueIdx].status)),
          h('td', {}, h('fieldset', { style: 'border:0;padding:0;margin:0' }, h('legend', { class: 'note', text: issue.id, style: 'position:absolute;left:-9999px' }),
            ['accept', 'reject'].map((choice) => h('label', {}, h('input', { type: 'radio', name: `response-${issue.id}`, value: choice,
              checked: text.my_response ? text.my_response.clauses[issue.id] === choice : choice === 'accept' }), ` ${choice}`))))))),
      open && !text.my_response && h('div', { class: 'row' },
        h('label', { for: 'response-note', text: 'Note' }), h('input', { type: 'text', id: 'response-note', size: 30 }),
        h('button', { id: 'send-response', onclick: () => act('Send response', () => {
          const clauses = {};
          for (const issue of issues) clauses[issue.id] = document.querySelector(`input[name="response-${issue.id}"]:checked`).value;
          return api('POST', `/api/rooms/${roomId}/responses`, { version: text.version, clauses, note: document.getElementById('response-note').value || undefined });
        }, 'response-'), text: 'Send response' }),
        h('button', { id: 'accept-all', class: 'secondary', onclick: () => act('Accept the text', () => api('POST', `/api/rooms/${roomId}/responses`, { version: text.version, accept: true })), text: 'Accept the whole text' }))));

  const proposalPanel = panel('Make a proposal to the mediator',
    h('table', {}, issues.map((issue) => h('tr', {}, h('th', { scope: 'row' }, h('label', { for: `proposal-${issue.id}`, text: issue.name })),
      h('td', {}, optionSelect(issue, `proposal-${issue.id}`, text ? text.outcome[issue.id] : undefined))))),
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

  app.replaceChildren(
    h('h2', {}, room.title, ' ', h('span', { class: 'badge', id: 'room-status', text: room.status }), h('span', { class: 'note', text: ` you represent ${me.participant.party}` })),
    ...roomBanner(room),
    h('div', { class: 'grid' }, textPanel, proposalPanel, prefsPanel, historyPanel));
}

// ------------------------------------------------------------------ working-group member, observer

async function memberView() {
  const roomId = me.room;
  const room = await api('GET', `/api/rooms/${roomId}`);
  const group = room.group;
  const open = room.status === 'open';
  app.replaceChildren(h('h2', {}, `${room.title}: working group “${group.name}”`), ...roomBanner(room),
    panel('Clauses', h('table', {}, h('tr', {}, ['issue', 'draft says', 'status'].map((t) => h('th', { text: t }))),
      group.clauses.map((clause) => h('tr', {}, h('th', { scope: 'row', text: clause.issue }), h('td', { text: clause.option ?? '—' }),
        h('td', {}, h('select', { 'aria-label': `status of ${clause.issue}`, disabled: !open, onchange: (e) => act(`Clause ${clause.issue}`, () => api('PUT', `/api/rooms/${roomId}/clauses/${clause.issue}`, { status: e.target.value })) },
          ['open', 'agreed_in_principle', 'finalised'].map((s) => h('option', { value: s, selected: clause.status === s, text: s.replaceAll('_', ' ') }))))))),
    ));
}

async function observerView() {
  const room = await api('GET', `/api/rooms/${me.room}`);
  app.replaceChildren(h('h2', {}, room.title, ' ', h('span', { class: 'badge', text: room.status })), ...roomBanner(room),
    panel('Clauses', h('ul', {}, room.clauses.map((c) => h('li', {}, `${c.issue} `, statusBadge(c.status))))));
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
  const views = { admin: adminView, mediator: mediatorView, principal: partyView, member: memberView, observer: observerView };
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
