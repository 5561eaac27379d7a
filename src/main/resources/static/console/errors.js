// Errors: session.error events grouped by type and by message, per day, with the retry_status split.
import { get } from './api.js';
import { stacked } from './chart.js';
import { h, notice, replace, table } from './dom.js';
import { number, time, zone } from './format.js';

const DAYS = 7;

export async function render(main) {
  const view = { chart: h('div', { class: 'chart', id: 'errors-chart' }), groups: h('div') };
  replace(main, h('h1', { 'data-loaded': 'true' }, 'Errors'), view.chart, view.groups);
  await load(view);
  return { refresh: () => load(view) };
}

function retry(split) {
  const s = split || {};
  return `${number(s.retrying || 0)} retrying, ${number(s.exhausted || 0)} exhausted, ${number(s.terminal || 0)} terminal`;
}

async function load(view) {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (DAYS - 1));
  const days = [];
  for (let d = new Date(start); d <= new Date(); d.setDate(d.getDate() + 1)) {
    days.push(d.getTime());
  }
  const since = start.toISOString();
  const [types, messages, sessions, ...perDay] = await Promise.all([
    get('/api/v1/errors', { group_by: 'type', since, limit: 100 }),
    get('/api/v1/errors', { group_by: 'message', since, limit: 100 }),
    get('/api/v1/errors', { group_by: 'session', since, limit: 100 }),
    ...days.map((day) => get('/api/v1/errors', { group_by: 'type', since: new Date(day).toISOString(),
      until: new Date(day + 86400000).toISOString(), limit: 100 })),
  ]);
  if (types.data.length === 0) {
    view.chart.replaceChildren();
    replace(view.groups, notice('info', `No session.error events in the last ${DAYS} days.`,
      'Errors the upstream reports in tracked sessions appear here.'));
    return;
  }
  const series = types.data.map((group) => ({ label: group.error_type,
    values: perDay.map((day) => (day.data.find((g) => g.error_type === group.error_type) || { count: 0 }).count) }));
  view.chart.replaceChildren();
  await stacked(view.chart, days, series, `session.error events per day, ${zone}`);
  replace(view.groups,
    table(`By type, last ${DAYS} days`, ['Type', 'Events', 'Sessions', 'First seen', 'Last seen', 'retry_status'],
      types.data.map((g) => h('tr', {}, h('th', { scope: 'row' }, g.error_type), h('td', { class: 'num' }, number(g.count)),
        h('td', { class: 'num' }, number(g.session_count)), h('td', {}, time(g.first_seen)), h('td', {}, time(g.last_seen)),
        h('td', {}, retry(g.retry_status)))), { id: 'errors-by-type' }),
    table('By message', ['Type', 'Message', 'Events', 'Sessions', 'Last seen', 'retry_status'],
      messages.data.map((g) => h('tr', {}, h('td', {}, g.error_type), h('td', {}, g.message || '—'),
        h('td', { class: 'num' }, number(g.count)), h('td', { class: 'num' }, number(g.session_count)),
        h('td', {}, time(g.last_seen)), h('td', {}, retry(g.retry_status)))), { id: 'errors-by-message' }),
    table('By session', ['Session', 'Events', 'First seen', 'Last seen', 'retry_status'],
      sessions.data.map((g) => h('tr', {},
        h('th', { scope: 'row' }, h('a', { href: '#/session/' + encodeURIComponent(g.session_id) }, g.session_id)),
        h('td', { class: 'num' }, number(g.count)), h('td', {}, time(g.first_seen)), h('td', {}, time(g.last_seen)),
        h('td', {}, retry(g.retry_status)))), { id: 'errors-by-session' }));
}
