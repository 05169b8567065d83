// Authorization code + PKCE through the real sign-in and consent pages in Debian Chromium (custom scheme and loopback).
import { createRequire } from 'node:module';
import * as oauth from 'oauth4webapi';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startAuthServer, type AuthServer } from '../../../sandbox/auth/server';
import { createTokenVerifier, type VerifiedToken } from '../../../sandbox/auth/verify-token';
import { OPERATORS, SANDBOX_PASSWORD } from '../../../sandbox/seed';
import { launchBrowser, loginAndConsent } from '../../support/browser';
import {
  API_SCOPES,
  authorizationRequest,
  consoleClient,
  CUSTOM_SCHEME_REDIRECT,
  discover,
  errorCode,
  exchangeCode,
  loopbackRedirect,
} from './oauth';

const API_URL = 'http://127.0.0.1:9/v2';
const AXE_SCRIPT = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
const ops = OPERATORS[0]!;

let server: AuthServer;
let as: oauth.AuthorizationServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
const openPages: Page[] = [];
let verify: (token: string) => Promise<VerifiedToken>;

beforeAll(async () => {
  [server, browser] = await Promise.all([startAuthServer({ apiUrl: API_URL, operators: OPERATORS }), launchBrowser()]);
  as = await discover(server.issuer);
  verify = createTokenVerifier({ issuer: server.issuer, audience: API_URL });
  context = await browser.newContext();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

beforeEach(async () => {
  // One context for the file; no sign-in session carries over between tests.
  await context.clearCookies();
});

afterEach(async () => {
  await Promise.all(openPages.splice(0).map((p) => p.close()));
});

/** Opens the request in a new page and waits for the sign-in form. */
async function openSignIn(url: string): Promise<void> {
  page = await context.newPage();
  openPages.push(page);
  await page.goto(url);
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

describe('authorization code + PKCE in Chromium', () => {
  it('signs in, consents and returns a code on the custom scheme, exchanged for JWT tokens', async () => {
    const request = await authorizationRequest(as);
    const redirect = await loginAndConsent(context, request.url, { email: ops.email, password: SANDBOX_PASSWORD });

    expect(redirect.startsWith(`${CUSTOM_SCHEME_REDIRECT}?`)).toBe(true);
    const params = new URL(redirect).searchParams;
    // As on Paxos: no RFC 9207 iss in authorization responses (see the rfc9207Iss tests for the other path).
    expect(params.has('iss')).toBe(false);
    expect(params.get('state')).toBe(request.state);
    expect(params.get('code')).toBeTruthy();

    const tokens = await exchangeCode(as, request, redirect);
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    expect(tokens.expires_in).toBe(3600);
    expect(typeof tokens.refresh_token).toBe('string');
    // The token response's scope is the access token's (the API resource); openid shows as the ID token.
    expect(tokens.scope?.split(' ').sort()).toEqual([...API_SCOPES].sort());

    const access = await verify(tokens.access_token);
    expect(access).toMatchObject({ sub: ops.sub, clientId: consoleClient.client_id });
    expect(access.scopes.sort()).toEqual([...API_SCOPES].sort());
    expect(access.exp - access.iat).toBe(3600);

    const idToken = oauth.getValidatedIdTokenClaims(tokens);
    expect(idToken).toMatchObject({ iss: server.issuer, aud: consoleClient.client_id, sub: ops.sub });
    // Only `sub`-level claims: no email or name.
    expect(idToken).not.toHaveProperty('email');
    expect(idToken).not.toHaveProperty('name');
  });

  it('redirects to the loopback URI on the port the request named', async () => {
    const port = 40000 + Math.floor(Math.random() * 20000);
    const request = await authorizationRequest(as, { redirectUri: loopbackRedirect(port) });
    const redirect = await loginAndConsent(context, request.url, { email: OPERATORS[1]!.email, password: SANDBOX_PASSWORD });
    expect(redirect.startsWith(`${loopbackRedirect(port)}?`)).toBe(true);
    const tokens = await exchangeCode(as, request, redirect);
    expect((await verify(tokens.access_token)).sub).toBe(OPERATORS[1]!.sub);
  });

  it('shows "Wrong email or password" for any bad sign-in, escapes what was typed, then signs in', async () => {
    const request = await authorizationRequest(as);
    await openSignIn(request.url);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    expect(await page.title()).toContain('Sign in');
    const hostile = '"><script>window.pwned=1</script><b>x';
    const attempts = [
      { email: ops.email, password: 'Wr0ng-Passw0rd-7f3a' },
      { email: 'nobody@partner.test', password: SANDBOX_PASSWORD },
      { email: hostile, password: 'x' },
    ];
    const texts: string[] = [];
    for (const attempt of attempts) {
      await page.getByLabel('Email').fill(attempt.email);
      await page.getByLabel('Password').fill(attempt.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const alert = page.getByRole('alert');
      await alert.waitFor();
      expect(await alert.textContent()).toBe('Wrong email or password');
      expect(await page.getByLabel('Password').inputValue()).toBe('');
      expect(await page.getByLabel('Email').inputValue()).toBe(attempt.email);
      expect(await page.content()).not.toContain('Wr0ng-Passw0rd-7f3a');
      texts.push((await page.locator('main').innerText()).replace(attempt.email, ''));
    }
    // A wrong password and an unknown email produce the same page.
    expect(texts[0]).toBe(texts[1]);
    // The hostile email came back as text, not markup.
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('main b').count()).toBe(0);

    const redirect = await loginAndConsent(page, request.url, { email: ops.email, password: SANDBOX_PASSWORD });
    expect(new URL(redirect).searchParams.get('code')).toBeTruthy();
  });

  it('lists each scope in plain words, ticked by default, and grants only those left ticked', async () => {
    const request = await authorizationRequest(as);
    await openSignIn(request.url);
    await page.getByLabel('Email').fill(ops.email);
    await page.getByLabel('Password').fill(SANDBOX_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Allow' }).waitFor();
    expect(await page.title()).toContain('Allow access');
    expect(await page.getByRole('button', { name: 'Deny' }).isVisible()).toBe(true);
    expect(await page.locator('main').innerText()).toContain(ops.email);
    for (const [scope, words] of [
      ['funding:read_profile', 'See the profiles delegated to you and their balances'],
      ['conversion:read_conversion_stablecoin', 'See stablecoin conversions'],
      ['conversion:write_conversion_stablecoin', 'Create and cancel stablecoin conversions'],
      ['identity:read_account', 'See the accounts and identities behind those profiles'],
      ['orchestration:read_orchestration', 'See orchestrations'],
      ['orchestration:write_orchestration', 'Create orchestrations'],
      ['offline_access', 'Stay signed in'],
    ] as const) {
      const box = page.getByRole('checkbox', { name: new RegExp(words) });
      expect(await box.isChecked()).toBe(true);
      expect(await box.getAttribute('value')).toBe(scope);
    }
    const openid = page.getByRole('checkbox', { name: /Confirm who you are/ });
    expect(await openid.isChecked()).toBe(true);
    expect(await openid.isDisabled()).toBe(true);

    // Answer in the same page: signed in already, so only the consent page shows again.
    const redirect = await loginAndConsent(page, request.url, {
      email: ops.email,
      password: SANDBOX_PASSWORD,
      scopes: ['funding:read_profile'],
    });
    const tokens = await exchangeCode(as, request, redirect);
    expect(tokens.scope).toBe('funding:read_profile');
    expect(oauth.getValidatedIdTokenClaims(tokens)?.sub).toBe(ops.sub);
    expect((await verify(tokens.access_token)).scopes).toEqual(['funding:read_profile']);
    // offline_access was unticked: no refresh token.
    expect(tokens.refresh_token).toBeUndefined();
  });

  it('returns error=access_denied with state and without iss when the operator denies', async () => {
    const request = await authorizationRequest(as);
    const redirect = await loginAndConsent(context, request.url, { email: ops.email, password: SANDBOX_PASSWORD, deny: true });
    const params = new URL(redirect).searchParams;
    expect(params.get('error')).toBe('access_denied');
    expect(params.has('iss')).toBe(false);
    expect(params.get('state')).toBe(request.state);
    expect(params.has('code')).toBe(false);
    expect(await errorCode(Promise.resolve().then(() => oauth.validateAuthResponse(as, consoleClient, new URL(redirect), request.state)))).toBe('access_denied');
  });

  it('has sign-in, error and consent pages without axe-core violations', async () => {
    // axe is injected as an inline script, which the pages' CSP forbids; this context alone bypasses CSP.
    const axeContext = await browser.newContext({ bypassCSP: true });
    try {
      const axePage = await axeContext.newPage();
      const violations = async (view: string) => {
        await axePage.addScriptTag({ path: AXE_SCRIPT });
        const found = await axePage.evaluate(async () => {
          const axe = (window as unknown as { axe: { run(d: Document): Promise<{ violations: { id: string; help: string }[] }> } }).axe;
          return (await axe.run(document)).violations.map((v) => `${v.id}: ${v.help}`);
        });
        return { view, found };
      };
      const request = await authorizationRequest(as);
      await axePage.goto(request.url);
      await axePage.getByRole('button', { name: 'Sign in' }).waitFor();
      // The sign-in page is checked in its fuller state, with the error shown.
      await axePage.getByLabel('Email').fill(ops.email);
      await axePage.getByLabel('Password').fill('wrong');
      await axePage.getByRole('button', { name: 'Sign in' }).click();
      await axePage.getByRole('alert').waitFor();
      expect(await violations('sign-in error')).toEqual({ view: 'sign-in error', found: [] });
      await axePage.getByLabel('Password').fill(SANDBOX_PASSWORD);
      await axePage.getByRole('button', { name: 'Sign in' }).click();
      await axePage.getByRole('button', { name: 'Allow' }).waitFor();
      expect(await violations('consent')).toEqual({ view: 'consent', found: [] });
      await axePage.goto(`${server.issuer}interaction/unknown`);
      expect(await violations('error')).toEqual({ view: 'error', found: [] });
    } finally {
      await axeContext.close();
    }
  });
});
