// Ingestion: is the service keeping up with the upstream?
import { get } from './api.js';
import { h, notice, replace, table } from './dom.js';
import { ago, number, seconds, time } from './format.js';

export async function render(main) {
  const view = { body: h('div') };
  replace(main, h('h1', { 'data-loaded': 'true' }, 'Ingestion'), view.body);
  await load(view);
  return { refresh: () => load(view) };
}

function card(label, value, id, warn) {
  return h('div', { class: 'card' + (warn ? ' warn' : ''), id }, h('div', { class: 'label' }, label),
    h('div', { class: 'value' }, value));
}

async function load(view) {
  const r = await get('/api/v1/ingestion');
  const tracked = Object.values(r.sessions_by_state || {}).reduce((a, b) => a + b, 0);
  const rates = Object.entries((r.upstream && r.upstream.requests_per_second) || {});
  const status = [];
  if (tracked === 0) {
    status.push(notice('info', 'Nothing to ingest yet.', 'Track a session with POST /api/v1/tracked-sessions.'));
  } else if (r.behind_seconds > 30 || r.unread_too_long > 0) {
    status.push(notice('error', 'The service is catching up:',
      `the most overdue session has waited ${seconds(r.behind_seconds)}; ${number(r.overdue_sessions)} sessions wait for a poll,`
      + ` ${number(r.unread_too_long)} went unread longer than the schedule allows (${seconds(r.allowed_unread_seconds)}).`
      + ' It reads them as the upstream request budget allows; add replicas or raise qoder.upstream.max-requests-per-second if this persists.'));
  } else {
    status.push(notice('ok', 'Keeping up:', 'every session is read within its schedule.'));
  }
  replace(view.body, status,
    h('div', { class: 'cards' },
      card('Behind', seconds(r.behind_seconds), 'ingestion-behind', r.behind_seconds > 30),
      card('Waiting for a poll', number(r.overdue_sessions), 'ingestion-overdue'),
      card('Unread too long', number(r.unread_too_long), 'ingestion-unread', r.unread_too_long > 0),
      card('Last sweep', r.last_sweep && r.last_sweep.full_at ? ago(r.last_sweep.full_at) : 'none yet', 'ingestion-sweep'),
      card('Live streams open', number(r.live_streams_open), 'ingestion-streams'),
      card('Request budget used', Math.round(((r.upstream && r.upstream.budget_used) || 0) * 100) + '%', 'ingestion-budget')),
    table(`Upstream requests per second over the last ${seconds(r.upstream ? r.upstream.window_seconds : 0)}`,
      ['Purpose', 'Requests/s'], rates.length ? rates.map(([purpose, rate]) => h('tr', {}, h('th', { scope: 'row' }, purpose),
        h('td', { class: 'num' }, rate.toFixed(2)))) : [h('tr', {}, h('td', { colspan: 2 }, 'No upstream request yet.'))],
      { id: 'ingestion-rates' }),
    table('Tracked sessions by state', ['State', 'Sessions'], Object.entries(r.sessions_by_state || {}).map(([state, n]) =>
      h('tr', {}, h('th', { scope: 'row' }, h('span', { class: 'state state-' + state }, state)), h('td', { class: 'num' }, number(n))))),
    h('p', { class: 'sub' }, `Checked ${time(r.checked_at)}. The sweep lease is held by ${(r.last_sweep && r.last_sweep.owner) || 'nobody'}`
      + (r.last_sweep && r.last_sweep.lease_until ? ` until ${time(r.last_sweep.lease_until)}.` : '.')));
}
