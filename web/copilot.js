// The mediator's co-pilot in the browser: every text evaluated where it is made (POST
// /evaluation: each principal's utility, its reservation value, the red lines the text crosses in
// words, the gap to each party's latest proposal), confirmations that name what a text crosses,
// suggestions that can be applied to the draft (GET /suggestions), and invitations that can be
// reissued or revoked. `ui` carries app.js's helpers: h, api, act, say, edited, refresh,
// partyName/partyNames (a party's id to the scenario's name for it: the co-pilot never shows ids)
// and putInDraft (an outcome into the draft editor, settled issues left alone).

const fmt = (value) => (typeof value === 'number' ? value.toFixed(3) : String(value));

// The evaluation of `outcome` as `api` answers it, or null when it fails (shown instead).
export async function evaluate(ui, roomId, outcome) {
  return ui.api('POST', `/api/rooms/${roomId}/evaluation`, { outcome });
}

// A table of each evaluated principal's utility against its reservation value, then the red
// lines crossed in words and, for the mediator, the gap to each party's latest proposal.
export function evaluationView(ui, evaluation, id) {
  const { h } = ui;
  const crossed = evaluation.red_lines_crossed;
  return h('div', { class: `evaluation ${evaluation.acceptable_to_all ? 'ok' : 'warn'}`, id },
    h('table', {}, h('tr', {}, ['party', 'utility', 'reservation', 'red lines'].map((t) => h('th', { text: t }))),
      evaluation.parties.map((party) => h('tr', {},
        h('th', { scope: 'row', text: party.name || party.party }),
        h('td', { text: fmt(party.utility) }),
        h('td', { class: party.meets_reservation ? 'accept' : 'reject', text: `${fmt(party.reservation)} ${party.meets_reservation ? 'met' : 'not met'}` }),
        h('td', { class: party.red_lines_crossed.length ? 'reject' : 'accept', text: party.red_lines_crossed.length ? `${party.red_lines_crossed.length} crossed` : 'none crossed' })))),
    crossed.length > 0 && h('ul', { class: 'crossed' }, crossed.map((c) => h('li', { text: `Crosses ${ui.partyName(c.party)}'s red line: ${c.description}` }))),
    evaluation.below_reservation.length > 0 && h('p', { class: 'reject', text: `Below the reservation value of ${ui.partyNames(evaluation.below_reservation)}.` }),
    evaluation.gaps && evaluation.gaps.length > 0 && h('p', { class: 'note' }, 'Gap to the latest proposal of ',
      evaluation.gaps.map((g, i) => `${i ? ', ' : ''}${ui.partyName(g.party)}: ${fmt(g.overall)}`).join('')));
}

// Fills `holder` with the evaluation of `outcome()` now and again (debounced) whenever an input
// inside `watched` changes: live as the draft changes.
export function liveEvaluation(ui, roomId, watched, holder, outcome) {
  let timer = null;
  const update = async () => {
    try {
      holder.replaceChildren(evaluationView(ui, await evaluate(ui, roomId, outcome()), `${holder.id}-view`));
    } catch (error) {
      holder.replaceChildren(ui.h('p', { class: 'note', text: `Not evaluated: ${error.message}` }));
    }
  };
  const schedule = () => { clearTimeout(timer); timer = setTimeout(update, 150); };
  watched.addEventListener('change', schedule);
  watched.addEventListener('input', schedule);
  update();
  return update;
}

// Asks before a text that crosses a red line or misses a reservation value is relayed or
// accepted; true when the text is clean or the person confirms.
export async function confirmText(ui, roomId, outcome, action) {
  const evaluation = await evaluate(ui, roomId, outcome);
  if (evaluation.acceptable_to_all) return true;
  return window.confirm(`This text ${evaluation.problems}.\n\n${action} anyway?`);
}

// The agreed terms in words and what they cross, for the banner.
export async function agreementTerms(ui, roomId, room) {
  const { h } = ui;
  try {
    const evaluation = await evaluate(ui, roomId, room.agreement.outcome);
    return h('div', { id: 'agreement-terms' },
      h('p', { text: `Agreed terms: ${evaluation.in_words}` }),
      evaluation.acceptable_to_all
        ? h('p', { class: 'accept', text: 'Every evaluated principal is at or above its reservation value and no red line is crossed.' })
        : h('p', { class: 'reject', id: 'agreement-flags', text: `Warning: the agreement ${evaluation.problems}.` }));
  } catch (error) {
    return h('p', { class: 'note', text: `Terms not evaluated: ${error.message}` });
  }
}

const CRITERIA = [['nash', 'Nash product'], ['kalai_smorodinsky', 'Kalai-Smorodinsky'], ['egalitarian', 'egalitarian'],
  ['closest', 'closest to the draft'], ['fewest_changes', 'fewest changes from the draft']];

// The suggestions panel's content: a criterion, then each suggestion with every principal's
// utility, what it changes from the current draft and a button that puts it in the draft editor;
// with no acceptable text, the relaxations and phase deferrals that would open one.
let lastSuggestions = null;  // kept across the re-renders live updates cause

export function suggestionsPanel(ui, roomId, issues, readDraft) {
  const { h } = ui;
  const holder = h('div', { id: 'suggestions' }, lastSuggestions && renderSuggestions(ui, lastSuggestions, issues));
  const criterion = h('select', { id: 'suggestion-criterion', 'aria-label': 'rank suggestions by' },
    CRITERIA.map(([value, label]) => h('option', { value, text: label })));
  const load = async () => {
    holder.replaceChildren(h('p', { class: 'note', text: 'Computing…' }));
    try {
      const query = new URLSearchParams({ criterion: criterion.value, limit: '5', outcome: JSON.stringify(readDraft()) });
      const answer = await ui.api('GET', `/api/rooms/${roomId}/suggestions?${query}`);
      lastSuggestions = answer;
      holder.replaceChildren(renderSuggestions(ui, answer, issues));
    } catch (error) {
      holder.replaceChildren(h('p', { class: 'note', text: error.message }));
    }
  };
  return [h('div', { class: 'row' }, h('label', { for: 'suggestion-criterion', text: 'Rank by' }), criterion,
    h('button', { id: 'suggest', class: 'secondary', onclick: load, text: 'Suggest texts' })), holder];
}

function renderSuggestions(ui, answer, issues) {
  const { h } = ui;
  if (answer.suggestions.length === 0) {
    return h('div', {},
      h('p', { class: 'reject', text: 'No text meets every principal\'s reservation value and red lines.' }),
      answer.relaxations.length > 0 && h('div', {}, h('h3', { text: 'Smallest relaxations that would open one' }),
        h('ul', { id: 'relaxations' }, answer.relaxations.map((r) => h('li', { text: r.explanation || r.constraints.map((c) => c.description || c.label || JSON.stringify(c)).join(' and ') })))),
      answer.deferrals.length > 0 && h('div', {}, h('h3', { text: 'Or defer issues to a later phase' }),
        h('ul', { id: 'deferrals' }, answer.deferrals.map((d) => h('li', { text: d.explanation })))));
  }
  return h('ol', { id: 'suggestion-list' }, answer.suggestions.map((s, index) => h('li', { class: 'suggestion' },
    h('p', { text: s.in_words }),
    h('p', { class: 'note', text: `${Object.entries(s.utilities).map(([p, u]) => `${ui.partyName(p)} ${fmt(u)}`).join(' · ')} · ${answer.criterion.label}: ${fmt(s.criterion.value)}` }),
    s.changes && h('p', { class: 'note', text: s.changes.length === 0 ? 'The draft itself.' : `Changes: ${s.changes.map((c) => `${c.issue_name} ${c.from_name} → ${c.to_name}`).join('; ')}` }),
    h('button', { class: 'secondary', id: `apply-suggestion-${index}`, onclick: () => {
      ui.putInDraft(issues, s.outcome);
      ui.say(`Suggestion ${index + 1} is in the draft; save or relay it when ready.`);
    }, text: 'Put in the draft' }))));
}

// Invitations: each participant's access, and for people (not engines) buttons that reissue the
// token (the old one stops working at once) or revoke it. A new token is shown once.
let issued = null;  // the token last reissued, shown until dismissed

export function invitationsTable(ui, roomId, participants) {
  const { h } = ui;
  const link = issued && `${location.origin}/#token=${issued.token}`;
  const tokenBox = h('div', { id: 'new-token' }, issued && [
    h('p', { class: 'warning', text: `New invitation for ${issued.label}. It is shown only once: copy it now and send it privately. The previous one no longer works.` }),
    h('code', { class: 'token', id: 'new-token-link', text: link }), ' ',
    h('button', { class: 'secondary', onclick: () => navigator.clipboard.writeText(link).then(() => ui.say('Copied'), () => ui.say('Copy it by hand: the browser refused', true)), text: 'Copy' }), ' ',
    h('button', { class: 'secondary', id: 'dismiss-token', onclick: () => { issued = null; ui.refresh(); }, text: 'I have sent it' })]);
  const showToken = (label, token) => { issued = { label, token }; };
  const table = h('table', { id: 'invitations' },
    h('tr', {}, ['id', 'role', 'party / group', 'name', 'access', ''].map((t) => h('th', { text: t }))),
    participants.map((p) => h('tr', {},
      [p.id, p.role, p.party ? ui.partyName(p.party) : p.group || '', p.engine ? `engine: ${p.engine}` : (p.name || '')].map((v) => h('td', { text: v })),
      h('td', { text: p.access ? `${p.access.status}${p.access.reissued ? ` (reissued ${p.access.reissued}×)` : ''}` : '' }),
      h('td', {}, p.role !== 'mediator' && !p.engine && [
        h('button', { class: 'secondary', id: `reissue-${p.id}`, onclick: () => {
          if (!window.confirm(`Reissue the invitation of ${p.party ? ui.partyName(p.party) : p.id}? Their current link stops working at once.`)) return;
          ui.act('Reissue invitation', async () => {
            const result = await ui.api('POST', `/api/rooms/${roomId}/participants/${p.id}/token`);
            showToken(p.party ? ui.partyName(p.party) : p.group || p.id, result.token);
          });
        }, text: 'Reissue' }), ' ',
        p.access && p.access.status === 'active' && h('button', { class: 'secondary', id: `revoke-${p.id}`, onclick: () => {
          if (!window.confirm(`Revoke the access of ${p.party ? ui.partyName(p.party) : p.id}? Their link stops working at once.`)) return;
          ui.act('Revoke access', () => ui.api('DELETE', `/api/rooms/${roomId}/participants/${p.id}/token`));
        }, text: 'Revoke' })]))));
  return [table, tokenBox];
}
