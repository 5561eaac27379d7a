// Times in the browser's zone, decimals as the API sent them.
export const zone = Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';

const dateTime = new Intl.DateTimeFormat(undefined, {
  year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const day = new Intl.DateTimeFormat(undefined, { month: 'short', day: '2-digit', weekday: 'short' });

export function time(value) {
  return value ? dateTime.format(new Date(value)) : '—';
}

export function dayOf(value) {
  return day.format(new Date(value));
}

export function seconds(total) {
  if (total === null || total === undefined || Number.isNaN(total)) {
    return '—';
  }
  const s = Math.max(0, Math.round(total));
  if (s < 60) {
    return s + ' s';
  }
  if (s < 3600) {
    return Math.floor(s / 60) + ' min ' + (s % 60) + ' s';
  }
  if (s < 86400) {
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }
  return Math.floor(s / 86400) + ' d ' + Math.floor((s % 86400) / 3600) + ' h';
}

export function ago(value, now = Date.now()) {
  return value ? seconds((now - new Date(value).getTime()) / 1000) + ' ago' : 'never';
}

export function between(start, end) {
  return start && end ? seconds((new Date(end) - new Date(start)) / 1000) : '—';
}

export function number(value) {
  return value === null || value === undefined ? '—' : Number(value).toLocaleString();
}

// Credits and money: two decimals as text; sums are done in hundredths-of-a-thousandth integers.
const SCALE = 1000000;

export function toUnits(value) {
  return value === null || value === undefined ? 0 : Math.round(Number(value) * SCALE);
}

export function fromUnits(units) {
  return units / SCALE;
}

export function amount(value, digits = 2) {
  if (value === null || value === undefined) {
    return '—';
  }
  return Number(value).toLocaleString(undefined, { minimumFractionDigits: digits, maximumFractionDigits: 4 });
}

export function money(value, currency) {
  if (value === null || value === undefined) {
    return '—';
  }
  return amount(value) + (currency ? ' ' + currency : '');
}
