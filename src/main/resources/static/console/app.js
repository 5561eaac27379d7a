// The console's shell: routes, the key prompt, the refresh loop.
import { Unauthorized, key, setKey } from './api.js';
import { notice, replace } from './dom.js';
import { zone } from './format.js';
import * as sessions from './sessions.js';
import * as session from './session.js';
import * as spend from './spend.js';
import * as errors from './errors.js';
import * as ingestion from './ingestion.js';

const REFRESH_MS = 5000;
const main = document.getElementById('main');
const prompt = document.getElementById('key-prompt');
let current = null;
let timer = null;

function route() {
  const [page, ...rest] = (location.hash.replace(/^#\/?/, '') || 'sessions').split('/');
  const pages = { sessions, session, spend, errors, ingestion };
  return { name: pages[page] ? page : 'sessions', module: pages[page] || sessions, arg: decodeURIComponent(rest.join('/')) };
}

export function showKeyPrompt(reason) {
  document.getElementById('key-reason').textContent = reason
    || 'The API answered 401: it needs an API key with the read role. Enter one to continue.';
  prompt.hidden = false;
  document.getElementById('key-input').focus();
}

function status(text) {
  document.getElementById('status').textContent = text;
}

async function run(action) {
  try {
    await action();
    status('Updated ' + new Date().toLocaleTimeString() + ' (' + zone + ')');
    return true;
  } catch (failure) {
    if (failure instanceof Unauthorized) {
      stop();
      replace(main, notice('error', 'The API answered 401.', 'Enter a read key above to see this page.'));
      showKeyPrompt();
    } else {
      status('Refresh failed: ' + failure.message);
      if (!main.querySelector('[data-loaded]')) {
        replace(main, notice('error', 'The service did not answer as expected.', failure.message,
          '. Check that the service is running; this page retries every few seconds.'));
      }
    }
    return false;
  }
}

function stop() {
  clearTimeout(timer);
  timer = null;
}

function schedule() {
  stop();
  timer = setTimeout(async () => {
    if (current && current.refresh) {
      if (await run(() => current.refresh())) {
        schedule();
      }
    }
  }, REFRESH_MS);
}

async function show() {
  stop();
  const { name, module, arg } = route();
  for (const link of document.querySelectorAll('nav a')) {
    if (link.dataset.page === name || (name === 'session' && link.dataset.page === 'sessions')) {
      link.setAttribute('aria-current', 'page');
    } else {
      link.removeAttribute('aria-current');
    }
  }
  main.replaceChildren();
  main.dataset.page = name;
  current = null;
  const ok = await run(async () => {
    current = await module.render(main, arg);
  });
  if (ok && current && current.refresh) {
    schedule();
  }
}

document.getElementById('zone').textContent = 'Times: ' + zone;
document.getElementById('key-form').addEventListener('submit', (event) => {
  event.preventDefault();
  setKey(document.getElementById('key-input').value.trim());
  document.getElementById('key-input').value = '';
  prompt.hidden = true;
  show();
});
document.getElementById('key-clear').addEventListener('click', () => {
  setKey(null);
  prompt.hidden = true;
  show();
});
document.getElementById('key-button').addEventListener('click', () => {
  if (prompt.hidden) {
    showKeyPrompt(key() ? 'A key is in use for this tab. Enter another one, or forget it.'
      : 'No key is in use. Enter a read key if the API asks for one.');
  } else {
    prompt.hidden = true;
  }
});
window.addEventListener('hashchange', show);
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && timer === null && current && current.refresh) {
    schedule();
  }
});
show();
