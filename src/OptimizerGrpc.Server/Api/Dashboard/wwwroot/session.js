'use strict';
// Session: signing in to a server that asks for credentials (docs/security.md). A browser cannot put an API key on
// an EventSource, so the key is posted once to /api/session and the server answers with an HttpOnly session cookie
// that every later request and event stream carries. A key may also come in the URL fragment (#key=SECRET, or
// #/study/ID&key=SECRET): fragments never reach the server or its logs; the page removes it from the address bar and
// history at once. In report mode (an offline file) there is nothing to sign in to.
const Session = (() => {
  let state = { required: false, signedIn: false, name: '', role: '' };
  let waiting = null;

  async function call(method, body) {
    const res = await fetch('/api/session', {
      method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      cache: 'no-store',
      credentials: 'same-origin',
    });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    return { ok: res.ok, status: res.status, data };
  }

  // keyFromFragment takes key=... out of location.hash, leaving the rest of the route.
  function keyFromFragment() {
    const m = /(^#|[&?])key=([^&]*)/.exec(location.hash);
    if (!m) return null;
    const rest = location.hash.replace(m[0], m[1] === '#' ? '#' : '').replace(/^#&/, '#');
    history.replaceState(null, '', location.pathname + location.search + (rest === '#' ? '' : rest));
    try { return decodeURIComponent(m[2]); } catch { return m[2]; }
  }

  function show(signedIn) {
    const who = document.getElementById('who');
    const out = document.getElementById('sign-out');
    who.hidden = out.hidden = !(state.required && signedIn);
    who.textContent = signedIn ? `${state.name} (${state.role})` : '';
  }

  // prompt shows the sign-in form and resolves once a key was accepted.
  function prompt(message) {
    if (!waiting) {
      waiting = new Promise(resolve => {
        for (const id of ['view-list', 'view-study', 'study-header']) document.getElementById(id).hidden = true;
        const view = document.getElementById('view-login');
        const form = document.getElementById('login-form');
        const input = document.getElementById('login-key');
        const error = document.getElementById('login-error');
        error.hidden = !message;
        error.textContent = message || '';
        view.hidden = false;
        input.value = '';
        input.focus();
        form.onsubmit = async ev => {
          ev.preventDefault();
          const answer = await signIn(input.value.trim());
          if (answer) {
            error.hidden = false;
            error.textContent = answer;
            input.select();
            return;
          }
          view.hidden = true;
          form.onsubmit = null;
          waiting = null;
          resolve();
        };
      });
    }
    return waiting;
  }

  // signIn returns null when the key was accepted, else why not.
  async function signIn(key) {
    if (!key) return 'Enter an API key.';
    const r = await call('POST', { key });
    if (!r.ok) return (r.data && r.data.error) || `The server refused the key (${r.status}).`;
    state = r.data;
    show(true);
    return null;
  }

  // start resolves when the page may load data: no credentials needed, a session exists, or the user signed in.
  async function start() {
    if (Api.report()) return;
    document.getElementById('sign-out').addEventListener('click', async () => {
      await call('DELETE');
      state.signedIn = false;
      show(false);
      location.reload();
    });
    const key = keyFromFragment();
    const r = await call('GET');
    if (r.ok && r.data) state = r.data;
    if (!state.required || state.signedIn) {
      show(state.signedIn);
      return;
    }
    if (key) {
      const refused = await signIn(key);
      if (!refused) return;
      return prompt(refused);
    }
    return prompt(null);
  }

  // expired is called when a request answered 401: the session ended (server restart, key revoked, idle too long).
  function expired() {
    if (!state.required) return Promise.resolve();
    state.signedIn = false;
    show(false);
    return prompt('Your session ended (the server restarted, your key was revoked, or it was idle for 12 hours). Sign in again.');
  }

  return { start, expired, current: () => state };
})();
