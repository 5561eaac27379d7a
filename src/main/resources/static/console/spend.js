// Spend: cost (or credits where no price is set) per day, stacked by model, agent or a metadata key.
import { get } from './api.js';
import { stacked } from './chart.js';
import { h, notice, replace, table } from './dom.js';
import { amount, dayOf, fromUnits, money, number, time, toUnits, zone } from './format.js';

const choice = { days: 7, by: 'model', key: 'team' };

export async function render(main) {
  const view = { chart: h('div', { class: 'chart', id: 'spend-chart' }), totals: h('div'), budgets: h('section'),
    note: h('div') };
  const days = h('select', { id: 'spend-days', onchange: (e) => { choice.days = Number(e.target.value); load(view); } },
    [7, 14, 30, 90].map((d) => h('option', { value: d }, `last ${d} days`)));
  days.value = String(choice.days);
  const by = h('select', { id: 'spend-by', onchange: (e) => { choice.by = e.target.value; load(view); } },
    h('option', { value: 'model' }, 'model'), h('option', { value: 'agent' }, 'agent'),
    h('option', { value: 'metadata' }, 'metadata key'));
  by.value = choice.by;
  const key = h('input', { id: 'spend-key', type: 'text', value: choice.key,
    onchange: (e) => { choice.key = e.target.value.trim(); load(view); } });
  replace(main, h('h1', { 'data-loaded': 'true' }, 'Spend'),
    h('form', { class: 'filters', onsubmit: (e) => e.preventDefault() },
      h('label', { for: 'spend-days' }, 'Range'), days, h('label', { for: 'spend-by' }, 'Stacked by'), by,
      h('label', { for: 'spend-key' }, 'Metadata key'), key),
    view.note, view.chart, view.totals, h('h2', {}, 'Budgets'), view.budgets);
  await load(view);
  return { refresh: () => load(view) };
}

function group() {
  return choice.by === 'metadata' ? 'metadata.' + (choice.key || 'team') : choice.by;
}

// The grouped report; a service whose report cannot yet group by day and an attribute answers 400,
// and the page falls back to days alone.
async function report(since) {
  try {
    return await pages(since, 'day,' + group());
  } catch (failure) {
    if (failure.status !== 400) {
      throw failure;
    }
    return pages(since, 'day');
  }
}

async function pages(since, groupBy) {
  const rows = [];
  let cursor = null;
  let first = null;
  for (let page = 0; page < 50; page++) {
    const body = await get('/api/v1/usage', { group_by: groupBy, since, tz: zone, limit: 1000, cursor });
    first = first || body;
    rows.push(...body.data);
    cursor = body.next_cursor;
    if (!cursor) {
      break;
    }
  }
  return { rows, first, groupBy };
}

function startOfRange() {
  const start = new Date();
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (choice.days - 1));
  return start;
}

async function load(view) {
  const start = startOfRange();
  const since = start.toISOString();
  const { rows, first, groupBy } = await report(since);
  const stackedBy = groupBy === 'day' ? null : group();
  const priced = first.totals && first.totals.cost !== undefined && first.totals.cost !== null;
  const measure = priced ? 'cost' : 'credits';
  const unit = priced ? (first.currency || 'cost') : 'credits';
  const days = [];
  for (let d = new Date(start); d <= new Date(); d.setDate(d.getDate() + 1)) {
    days.push(d.getTime());
  }
  const byKey = new Map();
  const totals = new Map();
  let grand = 0;
  for (const row of rows) {
    const name = !stackedBy ? 'all' : (row.key === null || row.key === undefined ? '(none)' : String(row.key));
    const bucket = new Date(row.bucket_start || row.key).setHours(0, 0, 0, 0);
    const index = days.indexOf(bucket);
    if (!byKey.has(name)) {
      byKey.set(name, days.map(() => 0));
    }
    const units = toUnits(row[measure]);
    if (index >= 0) {
      byKey.get(name)[index] += fromUnits(units);
    }
    totals.set(name, (totals.get(name) || 0) + units);
    grand += units;
  }
  const series = [...byKey.entries()].sort((a, b) => (totals.get(b[0]) - totals.get(a[0])))
    .map(([label, values]) => ({ label, values }));
  view.chart.replaceChildren();
  const unpriced = (first.unpriced || []).length;
  replace(view.note, priced ? null : notice('info', 'No price is set,', 'so spend is shown in credits.',
    ' Set qoder.pricing.credits (or POST /api/v1/prices) to see cost.'),
  stackedBy ? null : notice('info', `This service's usage report cannot group by day and ${group()} yet,`,
    'so the chart shows all usage per day.'),
  unpriced ? notice('info', 'Some usage has no price in effect:', `${unpriced} ranges are counted without cost.`) : null);
  if (rows.length === 0) {
    replace(view.totals, notice('info', 'No usage in this range.',
      'Usage appears once tracked sessions make model calls; choose a longer range or track a session.'));
  } else {
    await stacked(view.chart, days, series, `${measure === 'cost' ? 'Cost' : 'Credits'} per day (${unit}), ${zone}`);
    replace(view.totals, table(`Totals over ${choice.days} days by ${stackedBy || 'day'}`, [stackedBy || 'usage', unit],
      series.map((one) => h('tr', {}, h('th', { scope: 'row' }, one.label),
        h('td', { class: 'num' }, amount(fromUnits(totals.get(one.label)))))).concat(
        h('tr', { class: 'total' }, h('th', { scope: 'row' }, 'Total'),
          h('td', { class: 'num', id: 'spend-total', 'data-total': fromUnits(grand), 'data-measure': measure,
            'data-since': since, 'data-group-by': groupBy, 'data-zone': zone },
            priced ? money(fromUnits(grand), first.currency) : amount(fromUnits(grand))))),
      { id: 'spend-totals' }),
    h('p', { class: 'sub' }, `Days from ${dayOf(days[0])}; ${number(rows.length)} rows from GET /api/v1/usage.`));
  }
  await budgets(view);
}

async function budgets(view) {
  let body;
  try {
    body = await get('/api/v1/budgets');
  } catch (failure) {
    if (failure.status === 404 || failure.status === 400) {
      replace(view.budgets, notice('info', 'No budgets here.', 'Configure qoder.budgets to see their state.'));
      return;
    }
    throw failure;
  }
  if (!body.data || body.data.length === 0) {
    replace(view.budgets, notice('info', 'No budgets are configured.', 'Add them under qoder.budgets.'));
    return;
  }
  replace(view.budgets, table('Budgets this period', ['Budget', 'Scope', 'Period', 'Spend', 'Limit', 'Used', 'State'],
    body.data.map((b) => {
      const used = h('meter', { min: 0, max: 1, low: 0.8, high: 0.99, optimum: 0, value: Math.min(Number(b.fraction) || 0, 1) });
      return h('tr', { class: b.state === 'exceeded' ? 'trouble' : null },
        h('th', { scope: 'row' }, b.name), h('td', {}, b.scope),
        h('td', {}, `${b.period} from ${time(b.period_start)}`),
        h('td', { class: 'num' }, money(b.spend, b.currency)), h('td', { class: 'num' }, money(b.limit, b.currency)),
        h('td', {}, used, ' ', Math.round((Number(b.fraction) || 0) * 100) + '%'),
        h('td', {}, h('span', { class: 'state state-' + b.state }, b.state)));
    }), { id: 'budgets' }));
}
