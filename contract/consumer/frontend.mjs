#!/usr/bin/env node
// The consumer test: plays the shipped Starlib frontend against Starlib Auth in sandbox mode, scenario by
// scenario, and prints PASS or FAIL for each and a closing "N passed, N failed" line. Exit code 0 = all passed.
//
//   scripts/consumer-test.sh                                  builds the jar if needed, finds a JDK 21+, and runs this
//   node contract/consumer/frontend.mjs --java JAVA           starts two backends from bootstrap/target/starlib-auth.jar
//   node contract/consumer/frontend.mjs --desktop URL --web URL   uses backends that are already running
//
// The desktop backend's SOUNDCLOUD_REDIRECT_URI must be its own /auth/soundcloud/redirect (backend-redirect flow),
// the web backend's the frontend callback http://localhost:3000/auth/soundcloud/callback (direct flow); both in
// SOUNDCLOUD_MODE=sandbox with SANDBOX_AUTO_APPROVE=true, SANDBOX_TOKEN_LIFETIME_SECONDS=62 and
// REFRESH_REUSE_SECONDS=3. No npm packages:
// Node 20's fetch, child_process and parseArgs only.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

// What the shipped frontend does (its frontend/src/lib/auth.ts; docs/flows.md tells the flows in our own words).
const REFRESH_MARGIN_MS = 60_000;       // refresh when the access token expires within 60 s
const POLL_INTERVAL_MS = 1_500;         // the desktop app polls /result every 1.5 s ...
const POLL_LIMIT_MS = 5 * 60_000;       // ... while it gets 404, for up to 5 minutes
const WEB_ORIGIN = 'http://localhost:3000';
const WEB_CALLBACK = `${WEB_ORIGIN}/auth/soundcloud/callback`;
const DESKTOP_ORIGIN = 'tauri://localhost';
const DESKTOP_CALLBACK = `${DESKTOP_ORIGIN}/auth/soundcloud/callback`;
const TOKEN_LIFETIME_SECONDS = 62;      // just over the refresh margin, so a refresh falls due within seconds
const REUSE_SECONDS = 3;                // the backends' reuse window, short so that its end can be seen
const PAGE_LOAD_CALLS = 6;              // ensureValidToken() calls a page load fires at once
const REQUEST_TIMEOUT_MS = 20_000;
const STARTUP_TIMEOUT_MS = 90_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const { values: options } = parseArgs({
  options: {
    desktop: { type: 'string' },
    web: { type: 'string' },
    jar: { type: 'string', default: path.resolve(here, '../../bootstrap/target/starlib-auth.jar') },
    java: { type: 'string', default: process.env.JAVA_HOME ? path.join(process.env.JAVA_HOME, 'bin', 'java') : 'java' },
  },
});

// ---------------------------------------------------------------------------------------------------------------
// The frontend, as far as sign-in goes

/** localStorage, as the Web Storage API has it. */
class MemoryStorage {
  #items = new Map();
  getItem(key) { return this.#items.has(key) ? this.#items.get(key) : null; }
  setItem(key, value) { this.#items.set(key, String(value)); }
  removeItem(key) { this.#items.delete(key); }
  clear() { this.#items.clear(); }
  get length() { return this.#items.size; }
}

class Frontend {
  constructor({ backend, origin, returnTo }) {
    this.backend = backend;
    this.origin = origin;
    this.returnTo = returnTo;
    this.localStorage = new MemoryStorage();
    this.sessionStorage = new MemoryStorage();
    this.calls = [];
  }

  /** Every API call: Content-Type: application/json (even on GET) and the app's Origin, as a browser sends them. */
  async api(method, apiPath, body) {
    const url = `${this.backend}/auth/soundcloud${apiPath}`;
    await this.preflight(url, method);
    const response = await http(url, {
      method,
      headers: { 'Content-Type': 'application/json', Origin: this.origin },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    this.calls.push(`${method} ${apiPath.split('?')[0]} ${response.status}`);
    expect(response.headers.get('access-control-allow-origin') === this.origin,
      `${method} ${apiPath}: ${response.status} without Access-Control-Allow-Origin: ${this.origin}; a browser could not read it`);
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
  }

  /** What a browser sends first, because Content-Type: application/json is not a "simple" header. */
  async preflight(url, method) {
    const response = await http(url, {
      method: 'OPTIONS',
      headers: {
        Origin: this.origin,
        'Access-Control-Request-Method': method,
        'Access-Control-Request-Headers': 'content-type',
      },
    });
    expect(response.status === 204, `preflight ${method} ${url}: ${response.status}, not 204`);
    expect(response.headers.get('access-control-allow-origin') === this.origin, `preflight: wrong Access-Control-Allow-Origin`);
    const methods = (response.headers.get('access-control-allow-methods') ?? '').split(/\s*,\s*/);
    expect(methods.includes(method), `preflight: ${method} not in Access-Control-Allow-Methods`);
    const headers = (response.headers.get('access-control-allow-headers') ?? '').toLowerCase().split(/\s*,\s*/);
    expect(headers.includes('content-type'), 'preflight: Content-Type not in Access-Control-Allow-Headers');
  }

  /** "Connect": GET /authorize, keep the state for the callback page, send the browser to SoundCloud. */
  async startSignIn() {
    const answer = await this.api('GET', `/authorize?return_to=${encodeURIComponent(this.returnTo)}`);
    expect(answer.status === 200, `/authorize answered ${answer.status}: ${JSON.stringify(answer.body)}`);
    const { authorization_url: authorizationUrl, state } = answer.body;
    expect(typeof authorizationUrl === 'string' && typeof state === 'string', '/authorize: no authorization_url or state');
    this.sessionStorage.setItem('oauth_state', state);
    return { authorizationUrl, state };
  }

  /**
   * The callback page (frontend/src/app/auth/soundcloud/callback/page.tsx) when the backend sent the browser back
   * (backend-redirect flow: `?state=` and no `code`). The shipped page picks up whatever state the URL carries; the
   * contract requires the one line it lacks: compare the state with the one this browser stored at "Connect",
   * and refuse a foreign one (login CSRF, RFC 9700 §4.7). `naive` plays the page without that line.
   */
  async landOnCallback(url, { naive = false } = {}) {
    const state = url.searchParams.get('state');
    if (!naive && state !== this.sessionStorage.getItem('oauth_state')) {
      return { refused: true };
    }
    const result = await this.pollResult(state);
    if (result.status === 200) {
      this.storeTokens(result.body);
    }
    return { refused: false, result };
  }

  /** What the app keeps: the tokens, their expiry as a timestamp, and the user. */
  storeTokens({ access_token, refresh_token, expires_in, user }) {
    this.localStorage.setItem('access_token', access_token);
    this.localStorage.setItem('refresh_token', refresh_token);
    this.localStorage.setItem('token_expires_at', String(Date.now() + expires_in * 1000));
    if (user) {
      const { id, username, permalink, avatar_url } = user;
      this.localStorage.setItem('sc_user', JSON.stringify({ id, username, permalink, avatar_url }));
    }
  }

  signOut() {
    for (const key of ['access_token', 'refresh_token', 'token_expires_at', 'sc_user']) {
      this.localStorage.removeItem(key);
    }
  }

  /** "Sign out" in the sidebar: end the session at SoundCloud, then forget the tokens here. */
  async signOutEverywhere() {
    const answer = await this.api('POST', '/sign-out', {
      access_token: this.localStorage.getItem('access_token'),
      refresh_token: this.localStorage.getItem('refresh_token'),
    });
    this.signOut();
    return answer;
  }

  /** Desktop: poll /result every 1.5 s while 404, up to 5 minutes. */
  async pollResult(state) {
    const deadline = Date.now() + POLL_LIMIT_MS;
    let polls = 0;
    for (;;) {
      polls += 1;
      const answer = await this.api('GET', `/result?state=${encodeURIComponent(state)}`);
      if (answer.status !== 404) {
        return { ...answer, polls };
      }
      expect(answer.body?.error === 'result_pending', `/result 404 with error ${answer.body?.error}`);
      if (Date.now() + POLL_INTERVAL_MS > deadline) {
        throw new Error(`no result after ${polls} polls in ${POLL_LIMIT_MS / 1000} s`);
      }
      await sleep(POLL_INTERVAL_MS);
    }
  }

  /** Before every SoundCloud call: refresh when within 60 s of expiry; 401 invalid_grant means sign in again. */
  async ensureValidToken() {
    const expiresAt = Number(this.localStorage.getItem('token_expires_at'));
    if (!this.localStorage.getItem('refresh_token')) {
      return 'signed-out';
    }
    if (expiresAt - Date.now() > REFRESH_MARGIN_MS) {
      return 'valid';
    }
    const answer = await this.api('POST', '/refresh', { refresh_token: this.localStorage.getItem('refresh_token') });
    if (answer.status === 200) {
      this.storeTokens(answer.body);
      return 'refreshed';
    }
    if (answer.status === 401 && answer.body?.error === 'invalid_grant') {
      this.signOut();
      return 'sign-in-again';
    }
    this.lastProblem = answer.body;
    return 'retry-later'; // 502/504: SoundCloud trouble; keep the tokens
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The browser and SoundCloud's consent (the sandbox approves at once: SANDBOX_AUTO_APPROVE=true)

/** Follows one redirect hop the way a browser would, and says where it points. */
async function redirectFrom(url) {
  const response = await http(url, { redirect: 'manual' });
  expect(response.status === 303 || response.status === 302,
    `${new URL(url).pathname}: ${response.status} instead of a redirect: ${(await response.text()).slice(0, 200)}`);
  return new URL(response.headers.get('location'), url);
}

/** SoundCloud (the sandbox) sends the browser to the registered redirect URI with code+state or error+state. */
async function consentAt(authorizationUrl) {
  return redirectFrom(authorizationUrl);
}

class Sandbox {
  constructor(backend) { this.control = `${backend}/sandbox/soundcloud/control`; }
  async set(switches) {
    const response = await http(this.control, {
      method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(switches),
    });
    expect(response.status === 200, `PUT /control ${JSON.stringify(switches)}: ${response.status} ${await response.text()}`);
  }
  async reset() {
    const response = await http(`${this.control}/reset`, { method: 'POST' });
    expect(response.status === 200, `POST /control/reset: ${response.status}`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Scenarios

async function desktopSignIn(env) {
  const app = new Frontend({ backend: env.desktop, origin: DESKTOP_ORIGIN, returnTo: DESKTOP_CALLBACK });
  const { authorizationUrl, state } = await app.startSignIn();
  // The app starts polling as it opens the browser; the user takes a moment to approve.
  const browser = (async () => {
    await sleep(2 * POLL_INTERVAL_MS);
    const backToBackend = await consentAt(authorizationUrl);
    expect(backToBackend.href.startsWith(`${env.desktop}/auth/soundcloud/redirect?`),
      `SoundCloud redirected to ${backToBackend.origin}${backToBackend.pathname}, not the backend's /redirect`);
    const backToApp = await redirectFrom(backToBackend.href);
    expect(backToApp.href.startsWith(DESKTOP_CALLBACK), `the backend sent the browser to ${backToApp.origin}${backToApp.pathname}`);
    expect(backToApp.searchParams.get('state') === state && !backToApp.searchParams.has('code'),
      'the return_to redirect must carry the state and no code');
    expect(backToApp.searchParams.get('state') === app.sessionStorage.getItem('oauth_state'),
      'the state coming back is not the one this app stored: a client must refuse it');
    return backToApp;
  })();
  const result = await app.pollResult(state);
  await browser;
  expect(result.status === 200, `/result answered ${result.status}: ${JSON.stringify(result.body)}`);
  expect(result.polls >= 2, `polled ${result.polls}×: the 404-while-pending path was not exercised`);
  app.storeTokens(result.body);
  checkStoredSession(app);
  const again = await app.api('GET', `/result?state=${encodeURIComponent(state)}`);
  expect(again.status === 410 && again.body.error === 'already_picked_up', `second pickup: ${again.status}, not 410`);
  const user = JSON.parse(app.localStorage.getItem('sc_user'));
  return `signed in as ${user.username} (${user.id}) after ${result.polls} polls; second pickup 410`;
}

async function webSignIn(env) {
  const app = await signInOnTheWeb(env);
  checkStoredSession(app);
  return `signed in as ${JSON.parse(app.localStorage.getItem('sc_user')).username} via POST /callback`;
}

async function signInOnTheWeb(env) {
  const app = new Frontend({ backend: env.web, origin: WEB_ORIGIN, returnTo: WEB_CALLBACK });
  const { authorizationUrl } = await app.startSignIn();
  const callbackPage = await consentAt(authorizationUrl);
  expect(callbackPage.href.startsWith(WEB_CALLBACK), `SoundCloud redirected to ${callbackPage.origin}${callbackPage.pathname}`);
  const code = callbackPage.searchParams.get('code');
  const state = callbackPage.searchParams.get('state');
  expect(state === app.sessionStorage.getItem('oauth_state'), 'the callback state is not the one /authorize gave');
  expect(code, `the callback has no code (error=${callbackPage.searchParams.get('error')})`);
  const answer = await app.api('POST', '/callback', { code, state });
  app.lastAnswer = answer;
  if (answer.status === 200) {
    app.storeTokens(answer.body);
  }
  return app;
}

function checkStoredSession(app) {
  const user = JSON.parse(app.localStorage.getItem('sc_user'));
  expect(Object.keys(user).sort().join() === 'avatar_url,id,permalink,username', `sc_user has ${Object.keys(user)}`);
  expect(Number.isInteger(user.id) && user.id > 0 && typeof user.username === 'string', 'sc_user id/username');
  const expiresIn = Number(app.localStorage.getItem('token_expires_at')) - Date.now();
  expect(expiresIn > 0, 'token_expires_at = now + expires_in * 1000 is not in the future');
  expect(app.localStorage.getItem('access_token') && app.localStorage.getItem('refresh_token'), 'tokens stored');
}

async function foreignStateIsRefused(env) {
  // The attacker starts a sign-in on the shared deployment and approves it with their own SoundCloud account ...
  const attacker = new Frontend({ backend: env.desktop, origin: DESKTOP_ORIGIN, returnTo: DESKTOP_CALLBACK });
  const link = async () => consentAt((await attacker.startSignIn()).authorizationUrl);
  const planted = await link();
  expect(planted.pathname.endsWith('/auth/soundcloud/redirect'), `consent led to ${planted.pathname}`);
  // ... and sends the victim the /redirect link. The victim started a sign-in of their own earlier.
  const victim = new Frontend({ backend: env.desktop, origin: DESKTOP_ORIGIN, returnTo: DESKTOP_CALLBACK });
  await victim.startSignIn();
  const landing = await redirectFrom(planted.href);
  expect(landing.href.startsWith(DESKTOP_CALLBACK), `the backend sent the victim to ${landing.origin}${landing.pathname}`);
  const callsBefore = victim.calls.length;
  const page = await victim.landOnCallback(landing);
  expect(page.refused, 'the callback page picked up a state this browser never asked for');
  expect(victim.calls.length === callsBefore, `the page called the API anyway: ${victim.calls.slice(callsBefore)}`);
  expect(!victim.localStorage.getItem('access_token'), 'the victim holds tokens of a sign-in they did not make');
  // Without the comparison, the very same kind of link signs the victim in to the attacker's account.
  const naive = await victim.landOnCallback(await redirectFrom((await link()).href), { naive: true });
  expect(!naive.refused && naive.result.status === 200 && victim.localStorage.getItem('access_token'),
    'the naive page should have been fooled: the scenario no longer shows the threat');
  return 'a /redirect link with a foreign state is refused before /result; a page without the check stores the attacker\'s tokens';
}

async function deniedConsent(env) {
  await env.desktopSandbox.set({ deny_consent: true });
  const app = new Frontend({ backend: env.desktop, origin: DESKTOP_ORIGIN, returnTo: DESKTOP_CALLBACK });
  const { authorizationUrl, state } = await app.startSignIn();
  const backToBackend = await consentAt(authorizationUrl);
  const backToApp = await redirectFrom(backToBackend.href);
  expect(backToApp.searchParams.get('error') === 'access_denied' && backToApp.searchParams.get('state') === state,
    `the callback page got ${backToApp.search}`);
  const result = await app.pollResult(state);
  expect(result.status === 403 && result.body.error === 'access_denied', `/result: ${result.status} ${result.body?.error}`);
  expect(result.body.detail, 'no detail to show');
  expect(!app.localStorage.getItem('access_token'), 'tokens stored after a denial');
  return `callback got error=access_denied; /result 403 shows "${result.body.detail}"`;
}

async function upstreamFailure(env) {
  await env.webSandbox.set({ token_failure: 'server_error' });
  const app = await signInOnTheWeb(env);
  const { status, body } = app.lastAnswer;
  expect(status === 502 && body.error === 'upstream_unavailable', `/callback: ${status} ${body?.error}, not 502 upstream_unavailable`);
  expect(body.detail && !app.localStorage.getItem('access_token'), 'the frontend needs a detail and no tokens');
  return `SoundCloud token endpoint 500 -> /callback 502 upstream_unavailable, shows "${body.detail}"`;
}

async function refreshRotation(env) {
  const app = await signInOnTheWeb(env);
  expect(app.lastAnswer.status === 200, `sign-in: ${app.lastAnswer.status}`);
  const expiresIn = app.lastAnswer.body.expires_in;
  expect(await app.ensureValidToken() === 'valid' || expiresIn * 1000 <= REFRESH_MARGIN_MS,
    'refreshed a token that was not yet within 60 s of expiry');
  const waitMs = Number(app.localStorage.getItem('token_expires_at')) - REFRESH_MARGIN_MS - Date.now() + 250;
  expect(waitMs < 30_000, `the token lives ${expiresIn} s: start the backend with SANDBOX_TOKEN_LIFETIME_SECONDS=${TOKEN_LIFETIME_SECONDS}`);
  await sleep(Math.max(0, waitMs));
  const oldRefreshToken = app.localStorage.getItem('refresh_token');
  const oldAccessToken = app.localStorage.getItem('access_token');
  expect(await app.ensureValidToken() === 'refreshed', 'no refresh within 60 s of expiry');
  expect(app.localStorage.getItem('refresh_token') !== oldRefreshToken, 'the refresh token did not rotate');
  expect(app.localStorage.getItem('access_token') !== oldAccessToken, 'the access token did not change');
  const rotatedAt = Date.now();
  // A client whose answer was lost retries with the old token: within the window it gets the same pair.
  const replay = await app.api('POST', '/refresh', { refresh_token: oldRefreshToken });
  expect(replay.status === 200 && replay.body.refresh_token === app.localStorage.getItem('refresh_token'),
    `the old refresh token within the reuse window: ${replay.status}, not the same new pair`);
  expect(await app.ensureValidToken() === 'valid', 'the new token should be good for another minute');
  await sleep(Math.max(0, rotatedAt + REUSE_SECONDS * 1000 + 250 - Date.now()));
  const late = await app.api('POST', '/refresh', { refresh_token: oldRefreshToken });
  expect(late.status === 401 && late.body.error === 'invalid_grant', `the old refresh token after the window: ${late.status}`);
  return `waited ${(Math.max(0, waitMs) / 1000).toFixed(1)} s, refreshed within 60 s of expiry; old token: same pair `
    + `within the ${REUSE_SECONDS} s window, 401 invalid_grant after it`;
}

async function deadRefreshToken(env) {
  const app = await signInOnTheWeb(env);
  expect(app.lastAnswer.status === 200, `sign-in: ${app.lastAnswer.status}`);
  await env.webSandbox.set({ refresh_failure: 'invalid_grant' });
  // The user comes back 30 s before expiry (no need to wait for it: the clock is the frontend's own).
  app.localStorage.setItem('token_expires_at', String(Date.now() + 30_000));
  expect(await app.ensureValidToken() === 'sign-in-again', 'a dead refresh token must send the user to sign in again');
  expect(app.localStorage.getItem('refresh_token') === null && app.localStorage.getItem('sc_user') === null,
    'the dead session must be cleared');
  return 'POST /refresh 401 invalid_grant -> tokens cleared, "sign in again"';
}

async function refreshDuringOutage(env) {
  const app = await signInOnTheWeb(env);
  expect(app.lastAnswer.status === 200, `sign-in: ${app.lastAnswer.status}`);
  await env.webSandbox.set({ token_failure: 'unavailable' });
  app.localStorage.setItem('token_expires_at', String(Date.now() + 30_000));
  const token = app.localStorage.getItem('refresh_token');
  expect(await app.ensureValidToken() === 'retry-later', 'a SoundCloud outage is not a reason to sign out');
  expect(app.lastProblem?.error === 'upstream_unavailable', `got ${app.lastProblem?.error}`);
  expect(app.localStorage.getItem('refresh_token') === token, 'the tokens must be kept for a retry');
  await env.webSandbox.reset();
  expect(await app.ensureValidToken() === 'refreshed', 'the retry after the outage must work');
  return 'SoundCloud 503 -> POST /refresh 502, tokens kept; the retry refreshes';
}

async function pageLoadNearExpiry(env) {
  const app = await signInOnTheWeb(env);
  expect(app.lastAnswer.status === 200, `sign-in: ${app.lastAnswer.status}`);
  const signedInWith = app.localStorage.getItem('refresh_token');
  app.localStorage.setItem('token_expires_at', String(Date.now() + 30_000)); // the user comes back near expiry
  // Every panel of the page calls ensureValidToken() before its SoundCloud call, all at once, with one token.
  const outcomes = await Promise.all(Array.from({ length: PAGE_LOAD_CALLS }, () => app.ensureValidToken()));
  expect(outcomes.every((outcome) => outcome === 'refreshed'), `the page's calls got ${outcomes.join(', ')}`);
  const kept = app.localStorage.getItem('refresh_token');
  expect(kept && kept !== signedInWith, 'no new refresh token was stored');
  // Every call stored the same pair, so whichever write came last, the one left stored is live.
  app.localStorage.setItem('token_expires_at', String(Date.now() + 30_000));
  expect(await app.ensureValidToken() === 'refreshed', 'the refresh token left stored does not refresh');
  expect(app.localStorage.getItem('refresh_token') !== kept, 'the stored token did not rotate');
  return `${PAGE_LOAD_CALLS} concurrent ensureValidToken() calls all refreshed; the token left stored refreshes again`;
}

async function signOutEverywhere(env) {
  const app = await signInOnTheWeb(env);
  expect(app.lastAnswer.status === 200, `sign-in: ${app.lastAnswer.status}`);
  app.localStorage.setItem('token_expires_at', String(Date.now() + 30_000));
  const before = app.localStorage.getItem('refresh_token');
  expect(await app.ensureValidToken() === 'refreshed', 'the refresh before signing out failed');
  const refreshToken = app.localStorage.getItem('refresh_token');
  const accessToken = app.localStorage.getItem('access_token');

  const answer = await app.signOutEverywhere();
  expect(answer.status === 204, `/sign-out answered ${answer.status}: ${JSON.stringify(answer.body)}`);
  expect(app.localStorage.getItem('refresh_token') === null, 'the tokens must be cleared here too');

  const refused = await app.api('POST', '/refresh', { refresh_token: refreshToken });
  expect(refused.status === 401 && refused.body.error === 'invalid_grant', `the signed-out refresh token: ${refused.status}`);
  const earlier = await app.api('POST', '/refresh', { refresh_token: before });
  expect(earlier.status === 401, `the token rotated just before (its pair remembered): ${earlier.status}`);
  const me = await http(`${env.web}/sandbox/soundcloud/me`, { headers: { Authorization: `OAuth ${accessToken}` } });
  expect(me.status === 401, `SoundCloud still takes the signed-out access token: ${me.status}`);
  return 'POST /sign-out 204; afterwards the refresh token is refused (401) and SoundCloud refuses the access token';
}

const SCENARIOS = [
  ['desktop sign-in (backend redirect, /result polling)', desktopSignIn],
  ['web sign-in (direct callback)', webSignIn],
  ['denied consent', deniedConsent],
  ['foreign state is refused by the client (login CSRF)', foreignStateIsRefused],
  ['upstream failure (token endpoint 5xx)', upstreamFailure],
  ['refresh rotation', refreshRotation],
  ['invalid_grant on refresh = sign in again', deadRefreshToken],
  ['refresh during a SoundCloud outage = retry later', refreshDuringOutage],
  ['page load near expiry', pageLoadNearExpiry],
  ['sign out', signOutEverywhere],
];

// ---------------------------------------------------------------------------------------------------------------
// Plumbing

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function http(url, init = {}) {
  return fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const children = [];

function stopChildren() {
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
    }
  }
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, () => { stopChildren(); process.exit(130); });
}
process.on('exit', stopChildren);

/** Starts the jar in sandbox mode in an empty folder (no .env there), and waits until it answers. */
async function startBackend(name, redirectUri) {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = Object.fromEntries(Object.entries(process.env)
    .filter(([key]) => !/^(CLIENT_|SOUNDCLOUD_|SANDBOX_|BACKEND_|ADMIN_|ALLOWED_|CORS_|DEFAULT_RETURN|REFRESH_)/.test(key)));
  Object.assign(env, {
    SOUNDCLOUD_MODE: 'sandbox',
    BACKEND_HOST: '127.0.0.1',
    BACKEND_PORT: String(port),
    ADMIN_PORT: '0', // several backends run at once; the operators' port is not under test here
    SOUNDCLOUD_REDIRECT_URI: (redirectUri ?? '').replace('{base}', base),
    SANDBOX_AUTO_APPROVE: 'true',
    SANDBOX_TOKEN_LIFETIME_SECONDS: String(TOKEN_LIFETIME_SECONDS),
    REFRESH_REUSE_SECONDS: String(REUSE_SECONDS),
    SOUNDCLOUD_TIMEOUT_MS: '5000',
  });
  const workDir = mkdtempSync(path.join(os.tmpdir(), `starlib-consumer-${name}-`));
  const child = spawn(options.java, ['-jar', options.jar], { cwd: workDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  child.log = [];
  child.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (text) => child.log.push(...text.split('\n').filter(Boolean).map((line) => `[${name}] ${line}`)));
  }
  children.push(child);
  const deadline = Date.now() + STARTUP_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      const hint = child.log.some((line) => line.includes('UnsupportedClassVersionError'))
        ? ` (${options.java} is older than Java 21: run scripts/consumer-test.sh, which finds a JDK 21+, or pass --java)`
        : '';
      throw new Error(`the ${name} backend exited with ${child.exitCode}${hint}:\n${child.log.join('\n')}`);
    }
    try {
      const response = await fetch(`${base}/openapi`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) {
        console.log(`started the ${name} backend in sandbox mode on ${base} (pid ${child.pid})`);
        return { base, child };
      }
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) {
      throw new Error(`the ${name} backend did not answer within ${STARTUP_TIMEOUT_MS / 1000} s:\n${child.log.join('\n')}`);
    }
    await sleep(250);
  }
}

async function main() {
  let desktop = options.desktop?.replace(/\/$/, '');
  let web = options.web?.replace(/\/$/, '');
  if (!desktop || !web) {
    if (!existsSync(options.jar)) {
      throw new Error(`${options.jar} does not exist: run scripts/consumer-test.sh (which builds it), or pass --desktop and --web`);
    }
    desktop ??= (await startBackend('desktop', '{base}/auth/soundcloud/redirect')).base;
    web ??= (await startBackend('web', WEB_CALLBACK)).base;
  }
  const env = { desktop, web, desktopSandbox: new Sandbox(desktop), webSandbox: new Sandbox(web) };
  let passed = 0;
  let failed = 0;
  for (const [name, scenario] of SCENARIOS) {
    const started = Date.now();
    try {
      await env.desktopSandbox.reset();
      await env.webSandbox.reset();
      const note = await scenario(env);
      passed += 1;
      console.log(`PASS  ${name}: ${note} (${Date.now() - started} ms)`);
    } catch (error) {
      failed += 1;
      console.log(`FAIL  ${name}: ${error.message}`);
    } finally {
      await Promise.allSettled([env.desktopSandbox.reset(), env.webSandbox.reset()]);
    }
  }
  if (failed > 0) {
    for (const child of children) {
      console.log(child.log.join('\n'));
    }
  }
  console.log(`consumer: ${passed} passed, ${failed} failed`);
  return failed === 0 ? 0 : 1;
}

/** Stops the backends this script started and waits (a bounded time) until they are gone. */
async function stopAndWait() {
  stopChildren();
  await Promise.race([
    Promise.all(children.map((child) => (child.exitCode !== null || child.signalCode !== null)
      ? Promise.resolve() : new Promise((resolve) => child.once('exit', resolve)))),
    sleep(10_000),
  ]);
  for (const child of children) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
    }
  }
}

main()
  .catch((error) => {
    console.log(`FAIL  setup: ${error.message}`);
    console.log('consumer: 0 passed, 1 failed');
    return 1;
  })
  .then(async (code) => {
    await stopAndWait();
    process.exitCode = code;
  });
