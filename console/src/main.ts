import { ApiError, apiKey, describeError, getJson } from './api.js';
import { field, h, replace } from './dom.js';
import type { Page, PageContext } from './page.js';
import { analyticsPage } from './pages/analytics-page.js';
import { queryPage } from './pages/query-page.js';
import { runsPage } from './pages/runs-page.js';
import { tablesPage } from './pages/tables-page.js';
import type { Scope, WhoAmI } from './types.js';

interface Route {
  path: string;
  label: string;
  page: Page;
  /** Any one of these scopes opens the page (admin opens all). */
  needs: readonly Scope[];
}

const ROUTES: readonly Route[] = [
  { path: 'tables', label: 'Tables', page: tablesPage, needs: ['query', 'catalog'] },
  { path: 'query', label: 'Query', page: queryPage, needs: ['query'] },
  { path: 'runs', label: 'Runs', page: runsPage, needs: ['pipelines'] },
  { path: 'analytics', label: 'Analytics', page: analyticsPage, needs: ['query'] },
];

const root = document.getElementById('app')!;

function holds(who: WhoAmI, scope: Scope): boolean {
  return who.scopes.includes('admin') || who.scopes.includes(scope);
}

/** Asks for an API key, checks it with /whoami, and starts the console with it. */
function keyForm(message?: string): void {
  const input = h('input', { type: 'password', name: 'apiKey', autocomplete: 'off', required: true, spellcheck: 'false' });
  const status = h('p', { class: 'error', role: 'alert' }, message ?? '');
  const form = h(
    'form',
    {
      class: 'key-form',
      onsubmit: async (e: Event) => {
        e.preventDefault();
        const key = input.value.trim();
        // An HTTP header holds visible ASCII only; a pasted zero-width space would make every request fail.
        if (!/^[\x21-\x7e]+$/.test(key)) {
          status.textContent = 'An API key is letters, digits and punctuation, without spaces.';
          return;
        }
        apiKey.set(key);
        await start(true);
      },
    },
    field('API key', input),
    h('button', { type: 'submit', class: 'primary' }, 'Sign in'),
    status,
  );
  document.title = 'Sign in · lakegate console';
  replace(
    root,
    h('main', { class: 'signin' }, h('h1', null, 'lakegate console'), h('p', null, 'This gateway wants an API key. It is kept in this tab only (sessionStorage) and sent as a Bearer token.'), form),
  );
  input.focus();
}

let current: AbortController | undefined;

function shell(who: WhoAmI): void {
  const routes = ROUTES.filter((r) => r.needs.some((s) => holds(who, s)));
  const nav = h('nav', { 'aria-label': 'Console sections' }, h('ul', null, routes.map((r) => h('li', null, h('a', { href: `#/${r.path}`, 'data-route': r.path }, r.label)))));
  const signOut = who.keysRequired ? h('button', { type: 'button', class: 'link', onclick: () => leave() }, 'Sign out') : null;
  const user = h('div', { class: 'who' }, who.keysRequired ? `${who.name} (${who.scopes.join(', ')})` : 'no API keys configured', signOut);
  const main = h('main', { id: 'main' });
  replace(root, h('header', { class: 'top' }, h('a', { class: 'brand', href: '#/' }, 'lakegate'), nav, user), main);

  let first = true;
  const render = async (): Promise<void> => {
    current?.abort();
    const controller = new AbortController();
    current = controller;
    let path = '';
    let params: string[] = [];
    try {
      [path = '', ...params] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
    } catch {
      // A malformed %-escape: not a route.
    }
    const route = routes.find((r) => r.path === path);
    if (!route) {
      if (routes[0]) location.replace(`#/${routes[0].path}`);
      else replace(main, h('p', { class: 'error' }, 'This API key may not use any part of the console.'));
      return;
    }
    for (const a of nav.querySelectorAll('a')) {
      if (a.dataset.route === route.path) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    document.title = `${route.label} · lakegate console`;
    const ctx: PageContext = { who, can: (s) => holds(who, s), signal: controller.signal, go: (hash) => (location.hash = hash) };
    const page = h('div', { class: `page page-${route.path}` });
    replace(main, page);
    // After a navigation, keyboard and screen reader users start at the new page's heading, not at the link.
    if (!first) focusHeading(page, controller.signal);
    first = false;
    try {
      await route.page(page, ctx, params);
    } catch (err) {
      if (!controller.signal.aborted) replace(page, h('p', { class: 'error', role: 'alert' }, describeError(err)));
    }
  };
  window.onhashchange = () => void render();
  void render();
}

/**
 * Once the page shows its heading, a navigation (not the first page shown) lands there: scrolled to the top, focus on the heading
 * (which a screen reader reads), not on an empty main or mid-page.
 */
function focusHeading(page: HTMLElement, signal: AbortSignal): void {
  const land = (h1: HTMLElement): void => {
    h1.tabIndex = -1;
    window.scrollTo(0, 0);
    h1.focus({ preventScroll: true });
  };
  const observer = new MutationObserver(() => {
    const h1 = page.querySelector('h1');
    if (!h1) return;
    observer.disconnect();
    if (!signal.aborted) land(h1);
  });
  observer.observe(page, { childList: true, subtree: true });
  signal.addEventListener('abort', () => observer.disconnect(), { once: true });
}

/** Asks the gateway who the key is, then shows the console or the key form; `entered`: the key was just typed. */
async function start(entered = false): Promise<void> {
  const had = apiKey.get();
  try {
    const who = await getJson<WhoAmI>('/whoami');
    if (who.keysRequired && !who.authenticated) keyForm();
    else shell(who);
  } catch (err) {
    if (err instanceof ApiError && err.status === 401) {
      apiKey.clear();
      keyForm(had ? 'That API key is not valid.' : undefined);
    } else if (entered) {
      // Not an answer about the key (rate limited, gateway away): ask again, with the reason.
      apiKey.clear();
      keyForm(`The gateway did not accept the sign-in: ${describeError(err)}`);
    } else {
      replace(
        root,
        h('main', null, h('h1', null, 'lakegate console'), h('p', { class: 'error', role: 'alert' }, `The gateway did not answer: ${describeError(err)}`), h('button', { type: 'button', class: 'primary', onclick: () => void start() }, 'Try again')),
      );
    }
  }
}

/** Stops the current page (its polls and requests), forgets the key and what was typed with it, and asks for a key. */
function leave(message?: string): void {
  current?.abort();
  window.onhashchange = null;
  apiKey.clear();
  for (const key of Object.keys(sessionStorage)) if (key.startsWith('lakegate.')) sessionStorage.removeItem(key);
  keyForm(message);
}

// A key revoked (or the gateway restarted with other keys) while the console is open: ask again.
window.addEventListener('lakegate:unauthorized', () => {
  if (current && !current.signal.aborted) leave('The gateway no longer accepts this API key.');
});

void start();
