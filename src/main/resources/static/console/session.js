// One session: its turns as a timeline, a turn's events with their raw JSON, new events as they arrive.
import { get } from './api.js';
import { h, notice, replace, table } from './dom.js';
import { amount, between, fromUnits, money, number, seconds, time, toUnits } from './format.js';

export async function render(main, id) {
  if (!id) {
    replace(main, notice('info', 'No session chosen.', 'Pick one on the Sessions page.'));
    return null;
  }
  const path = '/api/v1/sessions/' + encodeURIComponent(id);
  const [tracked, usage, errors] = await Promise.all([
    get('/api/v1/tracked-sessions/' + encodeURIComponent(id)).catch(() => null),
    get(path + '/usage'),
    get(path + '/errors', { limit: 1000 }).catch(() => ({ data: [] })),
  ]);
  const view = { id, path, usage, errorsByTurn: count(errors.data), events: h('section', { 'aria-live': 'polite' }),
    turns: h('div'), header: h('div'), selected: null, seen: new Set(), lastCount: tracked ? tracked.event_count : null,
    latest: h('section'), since: usage.last_event_at || null };
  replace(main, h('p', {}, h('a', { href: '#/sessions' }, '← All sessions')),
    h('h1', { 'data-loaded': 'true' }, 'Session ', h('code', {}, id)), view.header, view.turns, view.events,
    h('h2', {}, 'Latest events'), view.latest);
  paintHeader(view, tracked);
  paintTurns(view);
  await latest(view);
  return { refresh: () => refresh(view) };
}

function count(errors) {
  const byTurn = new Map();
  for (const error of errors) {
    byTurn.set(error.turn_id, (byTurn.get(error.turn_id) || 0) + 1);
  }
  return byTurn;
}

function paintHeader(view, tracked) {
  const u = view.usage;
  const facts = [
    ['State', tracked ? tracked.state : 'not tracked'],
    ['Events', tracked ? number(tracked.event_count) : '—'],
    ['Turns', number(u.turns)],
    ['Model calls', number(u.model_requests)],
    ['Credits', amount(u.credits)],
    ['Billed credits', amount(u.billed_credits)],
    ['Cost', u.cost !== undefined && u.cost !== null ? money(u.cost, u.currency) : 'no price set'],
    ['Tokens', number(u.total_tokens)],
    ['First event', time(u.first_event_at)],
    ['Last event', time(u.last_event_at)],
  ];
  replace(view.header, h('dl', { class: 'facts', id: 'session-usage', 'data-credits': u.credits ?? '' },
    facts.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value)))),
  tracked && tracked.last_error ? notice('error', 'Last poll failed:', tracked.last_error.message || '') : null);
}

function paintTurns(view) {
  const turns = view.usage.by_turn || [];
  if (turns.length === 0) {
    replace(view.turns, h('h2', {}, 'Turns'), notice('info', 'No completed turn yet.',
      'Turns appear when the session goes idle; this page refreshes every few seconds.'));
    return;
  }
  const start = Math.min(...turns.map((t) => new Date(t.started_at).getTime()));
  const end = Math.max(...turns.map((t) => new Date(t.completed_at || t.started_at).getTime()));
  const span = Math.max(end - start, 1);
  let credits = 0;
  const rows = turns.map((turn, index) => {
    credits += toUnits(turn.credits);
    const left = ((new Date(turn.started_at).getTime() - start) / span) * 100;
    const width = Math.max(((new Date(turn.completed_at || turn.started_at) - new Date(turn.started_at)) / span) * 100, 0.5);
    const bar = h('span', { class: 'bar' });
    bar.style.marginLeft = left.toFixed(2) + '%';
    bar.style.width = Math.min(width, 100 - left).toFixed(2) + '%';
    const errors = view.errorsByTurn.get(turn.turn_id) || 0;
    return h('tr', { class: errors ? 'trouble' : null, 'data-credits': turn.credits ?? '' },
      h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link', 'aria-label': 'Events of turn ' + (index + 1),
        onclick: () => showTurn(view, turn, index) }, String(index + 1))),
      h('td', { class: 'timeline' }, h('span', { class: 'track' }, bar)),
      h('td', {}, time(turn.started_at)),
      h('td', {}, between(turn.started_at, turn.completed_at)),
      h('td', { class: 'num' }, number(turn.pauses)),
      h('td', { class: 'num' }, number(turn.model_requests)),
      h('td', { class: 'num' }, amount(turn.credits)),
      h('td', { class: 'num' }, turn.cost !== undefined && turn.cost !== null ? amount(turn.cost) : '—'),
      h('td', { class: 'num' }, number(errors)),
      h('td', {}, turn.stop_reason || '—'));
  });
  replace(view.turns, h('h2', {}, 'Turns'),
    table(`${turns.length} turns over ${seconds(span / 1000)}; select a turn's number to see its events`,
      ['Turn', 'Timeline', 'Started', 'Duration', 'Pauses', 'Model calls', 'Credits', 'Cost', 'Errors', 'Stop reason'],
      rows, { id: 'turns' }),
    h('p', { class: 'summary', id: 'turns-total', 'data-credits': fromUnits(credits) },
      `Turns add up to ${amount(fromUnits(credits))} credits; the session's usage says ${amount(view.usage.credits)}.`));
}

async function showTurn(view, turn, index) {
  const body = await get(view.path + '/events', { turn_id: turn.turn_id, limit: 1000 });
  replace(view.events, h('h2', { tabindex: '-1' }, `Events of turn ${index + 1}`), eventTable(body.data, 'turn-events'));
  view.events.querySelector('h2').focus();
}

function eventTable(events, id) {
  if (events.length === 0) {
    return notice('info', 'No events stored here yet.', 'They appear as the service reads them.');
  }
  return table(`${events.length} events`, ['#', 'Type', 'Time', 'Raw JSON'], events.map((event) =>
    h('tr', {},
      h('td', { class: 'num' }, String(event.sequence)),
      h('td', {}, event.type),
      h('td', {}, time(event.event_time)),
      h('td', {}, h('details', {}, h('summary', {}, 'show'),
        h('pre', {}, JSON.stringify(event.payload, null, 2)))))), { id });
}

async function latest(view) {
  const body = await get(view.path + '/events', view.since ? { since: view.since, limit: 100 } : { limit: 20 });
  const events = body.data.filter((event) => !view.seen.has(event.id));
  for (const event of body.data) {
    view.seen.add(event.id);
    view.since = event.event_time;
  }
  view.shown = (view.shown || []).concat(events).slice(-50);
  replace(view.latest, view.shown.length ? eventTable(view.shown.slice().reverse(), 'latest-events')
    : notice('info', 'Watching for new events.', 'New events appear here as the service stores them.'));
}

async function refresh(view) {
  const tracked = await get('/api/v1/tracked-sessions/' + encodeURIComponent(view.id)).catch(() => null);
  if (tracked && tracked.event_count === view.lastCount) {
    return;
  }
  view.lastCount = tracked ? tracked.event_count : null;
  view.usage = await get(view.path + '/usage');
  paintHeader(view, tracked);
  paintTurns(view);
  await latest(view);
}
