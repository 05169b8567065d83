// E2E: sign-in against the real core and sandbox — environments, persisted choice, browser sign-in/out, cancel, deny, keychain, CSP, axe.
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '../../electron/core/auth/auth-service';
import { createMemorySecretStore, KeychainUnavailableError, type SecretStore } from '../../electron/core/auth/secret-store';
import { BRIDGE_EVENTS, BRIDGE_METHODS } from '../../shared/bridge-methods';
import type { PartnerConsoleBridge } from '../../shared/ipc-contract';
import { loginOverHttp } from '../support/core-harness';
import { startDesktop, type Desktop } from './harness';
import { expectAxeClean } from './page-checks';
import { OPS, signInThroughBrowser } from './sign-in-flow';

/** An in-memory keychain that can be switched to "no Secret Service". */
function switchableKeychain(): SecretStore & { unavailable: boolean } {
  const inner = createMemorySecretStore();
  const gate = <T>(work: () => Promise<T>) => (keychain.unavailable ? Promise.reject(new KeychainUnavailableError('No Secret Service is running (org.freedesktop.secrets).')) : work());
  const keychain = {
    unavailable: false,
    get: (s: string, a: string) => gate(() => inner.get(s, a)),
    set: (s: string, a: string, v: string) => gate(() => inner.set(s, a, v)),
    delete: (s: string, a: string) => gate(() => inner.delete(s, a)),
    accounts: (s: string) => gate(() => inner.accounts(s)),
  };
  return keychain;
}

describe('sign-in (real core, real sandbox)', () => {
  let desktop: Desktop;
  const keychain = switchableKeychain();
  const SERVICE = serviceName('sandbox-local');

  beforeAll(async () => {
    desktop = await startDesktop({ sandbox: {}, secretStore: keychain });
    await desktop.open();
  });
  afterAll(async () => {
    await desktop?.close();
  });

  it('lists the environments the core knows, with the selected one chosen', async () => {
    const settings = await desktop.handlers['settings:get']({});
    if (!settings.ok) throw new Error(settings.error.message);
    const select = desktop.page.getByLabel('Environment');
    await expect.poll(() => select.locator('option').allTextContents()).toEqual(settings.value.environments.map((e) => e.label));
    expect(await select.inputValue()).toBe(settings.value.environment);
    // "Local sandbox" points at the sandbox the harness started.
    await expect.poll(() => desktop.page.locator('.env-details').textContent()).toContain(new URL(desktop.sandbox!.issuer).host);
  });

  it('persists a new environment through settings:setEnvironment, across a reload', async () => {
    const { page } = desktop;
    const stored = async () => {
      const r = await desktop.handlers['settings:get']({});
      return r.ok ? r.value.environment : r.error.code;
    };
    await page.getByLabel('Environment').selectOption({ label: 'Paxos sandbox' });
    await expect.poll(stored).toBe('paxos-sandbox');
    await expect.poll(() => page.locator('.env-details').textContent()).toContain('oauth.sandbox.paxos.com');
    await page.reload();
    await expect.poll(() => page.getByLabel('Environment').inputValue()).toBe('paxos-sandbox');
    await page.getByLabel('Environment').selectOption('sandbox-local');
    await expect.poll(stored).toBe('sandbox-local');
  });

  it('offers no sign-in while an environment switch is being saved (a click then would sign in to the previous one)', async () => {
    const { page } = desktop;
    const button = page.getByRole('button', { name: /Continue in your browser|Opening your browser/ });
    // The core is slow to save the choice: hold settings:setEnvironment in the page until the test lets it through.
    await page.evaluate(() => {
      const w = window as unknown as { __pcInvoke(c: string, j: string): Promise<string>; __release?: () => void };
      const invoke = w.__pcInvoke.bind(w);
      const held = new Promise<void>((resolve) => (w.__release = resolve));
      w.__pcInvoke = async (channel, json) => {
        if (channel === 'settings:setEnvironment') await held;
        return invoke(channel, json);
      };
    });
    try {
      await page.getByLabel('Environment').selectOption({ label: 'Paxos sandbox' });
      expect(await button.isDisabled(), 'sign-in waits for the switch').toBe(true);
    } finally {
      await page.evaluate(() => (window as unknown as { __release(): void }).__release());
    }
    await expect.poll(() => button.isEnabled()).toBe(true);
    await page.getByLabel('Environment').selectOption('sandbox-local');
    await expect.poll(() => page.locator('.env-details').textContent()).toContain(new URL(desktop.sandbox!.issuer).host);
    await page.reload();
    await page.getByRole('button', { name: 'Continue in your browser' }).waitFor();
  });

  it('has no axe violations on the sign-in view, light and dark', async () => {
    await desktop.page.getByRole('button', { name: 'Continue in your browser' }).waitFor();
    await expectAxeClean(desktop.page, 'sign-in');
  });

  it('waits for the browser, and Cancel returns to the sign-in view with the reason', async () => {
    const { page } = desktop;
    await page.getByRole('button', { name: 'Continue in your browser' }).click();
    await desktop.external.next(15_000);
    await page.getByRole('heading', { name: 'Waiting for your browser…' }).waitFor({ timeout: 10_000 });
    expect(await page.getByLabel('Environment').isDisabled()).toBe(true);
    await expectAxeClean(desktop.page, 'sign-in-waiting');
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 10_000 });
    await page.getByRole('status').filter({ hasText: 'Sign-in was cancelled.' }).waitFor({ timeout: 10_000 });
  });

  it('says so in plain words when consent is denied in the browser', async () => {
    const { page } = desktop;
    await page.getByRole('button', { name: 'Continue in your browser' }).click();
    const url = await desktop.external.next(15_000);
    expect(desktop.core.handleDeepLink(await loginOverHttp(url, { ...OPS, deny: true }))).toBe(true);
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('Access was denied in the browser');
    const text = await page.getByRole('alert').textContent();
    expect(text).toContain('choose Allow');
    expect(text).not.toContain('access_denied');
    const latest = async () => {
      const log = await desktop.handlers['activity:list']({ limit: 1 });
      return log.ok ? log.value.items[0] : log.error.code;
    };
    await expect.poll(latest).toMatchObject({ action: 'sign_in', outcome: 'error', summary: 'Access was denied in the browser, so you are not signed in.' });
    await expectAxeClean(desktop.page, 'sign-in-denied');
  });

  it('signs in through the system browser, keeps the refresh token in the keychain, and signing out empties it', async () => {
    const { page } = desktop;
    await signInThroughBrowser(desktop);
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 15_000 });
    expect(await keychain.accounts(SERVICE)).toEqual(['op-7c1e2a']);
    expect(await page.locator('.banner').count()).toBe(0);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session' }).click();
    await page.getByRole('heading', { name: 'Session', level: 1 }).waitFor();
    expect(await page.locator('.meta').textContent()).toContain('Operatorop-7c1e2a');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 10_000 });
    expect(await keychain.accounts(SERVICE)).toEqual([]);
  });

  it('falls back to the loopback redirect when the operator ticks "Use a local address instead", and the choice persists', async () => {
    const { page } = desktop;
    const redirectSetting = async () => {
      const r = await desktop.handlers['settings:get']({});
      return r.ok ? r.value.redirect : r.error.code;
    };
    await page.getByLabel('Use a local address instead').check();
    await expect.poll(redirectSetting).toBe('loopback');
    await page.reload();
    expect(await page.getByLabel('Use a local address instead').isChecked()).toBe(true);

    await page.getByRole('button', { name: 'Continue in your browser' }).click();
    const url = new URL(await desktop.external.next(15_000));
    const redirectUri = url.searchParams.get('redirect_uri')!;
    expect(redirectUri).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth2\/callback$/);
    // The "system browser" follows the redirect to the app's one-time listener itself; nothing is handed to the intake.
    const systemBrowser = await desktop.browser.newContext();
    try {
      const tab = await systemBrowser.newPage();
      await tab.goto(url.toString());
      await tab.getByLabel('Email').fill(OPS.email);
      await tab.getByLabel('Password').fill(OPS.password);
      await tab.getByRole('button', { name: 'Sign in' }).click();
      await tab.getByRole('button', { name: 'Allow' }).click();
      await tab.getByRole('heading', { name: 'You can close this tab' }).waitFor({ timeout: 15_000 });
    } finally {
      await systemBrowser.close();
    }
    await page.getByRole('navigation', { name: 'Main' }).waitFor({ timeout: 15_000 });
    await expect(fetch(redirectUri)).rejects.toThrow(); // the listener closed after its one hit
    await desktop.handlers['auth:signOut']({});
    await page.getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 10_000 });
    await page.getByLabel('Use a local address instead').uncheck();
    await expect.poll(redirectSetting).toBe('custom-scheme');
  });

  it('tells the operator when the keychain cannot keep the session', async () => {
    const { page } = desktop;
    keychain.unavailable = true;
    try {
      await signInThroughBrowser(desktop);
      const banner = page.locator('.banner');
      await banner.waitFor({ timeout: 15_000 });
      expect(await banner.textContent()).toContain('Your session is not saved in the system keychain.');
      expect(await banner.textContent()).toContain('No Secret Service is running');
      await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session' }).click();
      await page.getByRole('heading', { name: 'Session', level: 1 }).waitFor();
      expect(await page.locator('dl.meta').textContent()).toContain('Kept in keychainNo. No Secret Service is running (org.freedesktop.secrets). You will need to sign in again');
      await expectAxeClean(desktop.page, 'keychain-notice');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 10_000 });
    } finally {
      keychain.unavailable = false;
    }
  });

  it('refuses bridge calls from a page that is not the app (forbidden_sender)', async () => {
    const foreign = await desktop.context.newPage();
    try {
      // Same server, other origin: "localhost" is not the app's 127.0.0.1 origin.
      await foreign.goto(desktop.origin.replace('127.0.0.1', 'localhost') + '/index.html');
      const answer = await foreign.evaluate(() => (window as unknown as { partnerConsole: PartnerConsoleBridge }).partnerConsole.getSettings());
      expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden_sender' } });
      expect(desktop.logs).toContain('ipc: refused settings:get: host is not the app’s');
    } finally {
      await foreign.close();
    }
  });

  it('the page gets the real preload’s bridge: one frozen function per method and subscriber, nothing else', async () => {
    const shape = await desktop.page.evaluate(() => {
      const bridge = (window as unknown as { partnerConsole: Record<string, unknown> }).partnerConsole;
      return { names: Object.keys(bridge).sort(), functions: Object.values(bridge).every((f) => typeof f === 'function'), frozen: Object.isFrozen(bridge) };
    });
    expect(shape).toEqual({ names: [...Object.keys(BRIDGE_METHODS), ...Object.keys(BRIDGE_EVENTS)].sort(), functions: true, frozen: true });
  });

  it('ran under the strict CSP without console errors', () => {
    expect(desktop.pageErrors).toEqual([]);
  });
});

describe('sign-in with a broken environments file', () => {
  let desktop: Desktop;

  beforeAll(async () => {
    const file = join(tmpdir(), `pc-e2e-environments-${process.pid}.json`);
    await writeFile(file, JSON.stringify({ environments: [{ id: 'Bad Id', label: 'x', issuer: 'https://a.example', apiBase: 'https://a.example', clientId: 'c' }] }));
    desktop = await startDesktop({ environmentsFile: file });
    await desktop.open();
  });
  afterAll(async () => {
    await desktop?.close();
  });

  it('says what is wrong with the file and keeps the built-in environments', async () => {
    const { page } = desktop;
    await page.getByText('Your environments file has a problem').waitFor({ timeout: 10_000 });
    const settings = await desktop.handlers['settings:get']({});
    if (!settings.ok) throw new Error(settings.error.message);
    expect(settings.value.configIssue).toBeTruthy();
    expect(await page.locator('.notice-warning').textContent()).toContain(settings.value.configIssue!);
    expect(await page.getByLabel('Environment').locator('option').allTextContents()).toEqual(['Local sandbox', 'Paxos sandbox', 'Paxos production']);
    await expectAxeClean(desktop.page, 'sign-in-config-issue');
  });
});
