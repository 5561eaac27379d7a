// Sessions: every tracked session with its state, freshness, usage and errors.
import { all } from './api.js';
import { h, notice, replace, table } from './dom.js';
import { ago, amount, money, number, time } from './format.js';

const STATES = ['active', 'completed', 'failing', 'diverged', 'not_found', 'unauthorized'];
const TROUBLE = new Set(['failing', 'unauthorized', 'diverged', 'not_found']);
const PAGE = 100;
const filters = { state: '', key: '', value: '' };
let shown = PAGE;

export async function render(main) {
  const view = {
    sessions: [], usage: new Map(), errors: new Map(), currency: null, body: h('tbody'),
    summary: h('p', { class: 'summary', id: 'sessions-summary' }), more: h('div', { class: 'more' }),
    empty: h('div'),
  };
  replace(main, h('h1', {}, 'Sessions'), controls(view), view.summary, view.empty,
    h('div', { class: 'table-wrap' }, h('table', { id: 'sessions' },
      h('caption', { class: 'visually-hidden' }, 'Tracked sessions'),
      h('thead', {}, h('tr', {}, ['Session', 'State', 'Last read', 'Events', 'Credits', 'Cost', 'Errors',
        'Last activity'].map((name) => h('th', { scope: 'col' }, name)))),
      view.body)), view.more);
  await load(view, true);
  main.firstElementChild.dataset.loaded = 'true';
  return { refresh: () => load(view, false) };
}

async function load(view, first) {
  // on the first load the usage and error reports wait for the first screen of sessions
  let others = first ? null : reports();
  const sessions = await all('/api/v1/tracked-sessions', {}, first ? (rows) => {
    if (!view.painted) {
      view.sessions = rows.slice();
      paint(view);
      view.painted = true;
      if (!document.body.dataset.firstScreenMs) {
        document.body.dataset.firstScreenMs = String(Math.round(performance.now()));
      }
      others = reports();
    }
  } : null);
  view.sessions = sessions.rows;
  const [usageRows, errorRows] = await (others || reports());
  if (usageRows) {
    view.usage = new Map(usageRows.rows.map((row) => [row.key, row]));
    view.currency = usageRows.first.currency || null;
  }
  if (errorRows) {
    view.errors = new Map(errorRows.rows.map((row) => [row.session_id || row.key, row]));
  }
  paint(view);
}

function reports() {
  return Promise.all([
    all('/api/v1/usage', { group_by: 'session' }).catch(() => null),
    all('/api/v1/errors', { group_by: 'session' }, null, 5).catch(() => null),
  ]);
}

function controls(view) {
  const state = h('select', { id: 'filter-state', onchange: (e) => { filters.state = e.target.value; shown = PAGE; paint(view); } },
    h('option', { value: '' }, 'any state'), STATES.map((s) => h('option', { value: s }, s)));
  state.value = filters.state;
  const key = h('input', { id: 'filter-key', type: 'text', placeholder: 'e.g. team', value: filters.key,
    oninput: (e) => { filters.key = e.target.value.trim(); shown = PAGE; paint(view); } });
  const value = h('input', { id: 'filter-value', type: 'text', placeholder: 'e.g. payments', value: filters.value,
    oninput: (e) => { filters.value = e.target.value.trim(); shown = PAGE; paint(view); } });
  return h('form', { class: 'filters', role: 'search', onsubmit: (e) => e.preventDefault() },
    h('label', { for: 'filter-state' }, 'State'), state,
    h('label', { for: 'filter-key' }, 'Metadata key'), key,
    h('label', { for: 'filter-value' }, 'equals'), value);
}

function matches(session) {
  if (filters.state && session.state !== filters.state) {
    return false;
  }
  if (filters.key) {
    const metadata = (session.snapshot && session.snapshot.metadata) || {};
    if (!(filters.key in metadata)) {
      return false;
    }
    if (filters.value && String(metadata[filters.key]) !== filters.value) {
      return false;
    }
  }
  return true;
}

function paint(view) {
  const now = Date.now();
  const visible = view.sessions.filter(matches);
  const trouble = view.sessions.filter((s) => TROUBLE.has(s.state)).length;
  view.summary.textContent = `${number(view.sessions.length)} tracked, ${number(visible.length)} shown`
    + (trouble ? `, ${number(trouble)} need attention (failing, unauthorized, diverged or not found)` : '');
  if (view.sessions.length === 0) {
    replace(view.empty, notice('info', 'No sessions are tracked yet.',
      'Track one with POST /api/v1/tracked-sessions and a body {"session_id": "sess_…"} (an admin key when keys are on),'
      + ' or start the demo (./mvnw spring-boot:test-run), which tracks its own sessions.'));
  } else if (visible.length === 0) {
    replace(view.empty, notice('info', 'No session matches these filters.', 'Change or clear the filters above.'));
  } else {
    view.empty.replaceChildren();
  }
  view.body.replaceChildren(...visible.slice(0, shown).map((s) => row(s, view, now)));
  if (visible.length > shown) {
    replace(view.more, h('button', { type: 'button', onclick: () => { shown += 500; paint(view); } },
      `Show more (${number(visible.length - shown)} not shown)`));
  } else {
    view.more.replaceChildren();
  }
}

function row(session, view, now) {
  const usage = view.usage.get(session.session_id);
  const errors = view.errors.get(session.session_id);
  const snapshot = session.snapshot || {};
  const credits = usage ? (usage.billed_credits ?? usage.credits) : snapshot.total_credits;
  const lastError = session.last_error;
  const errorText = [];
  if (errors) {
    errorText.push(number(errors.count) + (errors.count === 1 ? ' error event' : ' error events'));
  }
  if (session.consecutive_failures) {
    errorText.push(session.consecutive_failures + (session.consecutive_failures === 1 ? ' failed poll' : ' failed polls'));
  }
  if (lastError) {
    errorText.push(lastError.message || lastError.type || 'last poll failed');
  }
  return h('tr', { class: TROUBLE.has(session.state) ? 'trouble' : null, 'data-session': session.session_id },
    h('td', { 'data-label': 'Session' }, h('a', { href: '#/session/' + encodeURIComponent(session.session_id) }, session.session_id),
      snapshot.title ? h('div', { class: 'sub' }, snapshot.title) : null),
    h('td', { 'data-label': 'State' }, h('span', { class: 'state state-' + session.state }, session.state)),
    h('td', { 'data-label': 'Last read', title: time(session.last_success_at) }, ago(session.last_success_at, now)),
    h('td', { 'data-label': 'Events', class: 'num' }, number(session.event_count)),
    h('td', { 'data-label': 'Credits', class: 'num' }, amount(credits)),
    h('td', { 'data-label': 'Cost', class: 'num' }, usage && usage.cost !== undefined && usage.cost !== null ? money(usage.cost, view.currency) : '—'),
    h('td', { 'data-label': 'Errors', class: errorText.length ? 'err' : null }, errorText.join('; ') || '—'),
    h('td', { 'data-label': 'Last activity' }, time(snapshot.updated_at || (usage && usage.last_event_at) || session.last_success_at)));
}
