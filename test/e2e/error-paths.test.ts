// E2E error paths on the real core and sandbox (the local sandbox on the conversions API, set in environments.json): a missing
// scope, insufficient funds, and a session that ends mid-form.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '../../electron/core/auth/auth-service';
import type { ActivityEntry } from '../../shared/domain';
import { startDesktop, type Desktop } from './harness';
import { ordersApiFile } from './orders-api-file';
import { expectAxeClean } from './page-checks';
import { revokeRefreshToken, sandboxTruth, type SandboxTruth } from './sandbox-truth';
import { finishInBrowser, OPS, signInThroughBrowser } from './sign-in-flow';

const ACME = 'a0000001-0000-4000-8000-000000000001';
const BLUE = 'a0000001-0000-4000-8000-000000000002'; // USD 1520.75, USDG 88.123456
const SERVICE = serviceName('sandbox-local');
const SUBJECT = 'op-7c1e2a';
const WRITE = 'conversion:write_conversion_stablecoin';

describe('error paths (real core and sandbox)', () => {
  let desktop: Desktop;
  let truth: SandboxTruth;
  let file: Awaited<ReturnType<typeof ordersApiFile>>;

  beforeAll(async () => {
    file = await ordersApiFile('conversions');
    desktop = await startDesktop({ sandbox: { settleMs: 300 }, environmentsFile: file.path });
    truth = sandboxTruth(desktop.sandbox!);
    await desktop.open();
  });
  afterAll(async () => {
    await desktop?.close();
    await file?.remove();
  });

  const page = () => desktop.page;
  const form = (profileId: string) => `${desktop.origin}/index.html#/accounts/${profileId}/convert`;
  const amountField = () => page().getByLabel('Amount in USD');
  const activity = async (): Promise<ActivityEntry[]> => {
    const log = await desktop.handlers['activity:list']({ limit: 100 });
    if (!log.ok) throw new Error(log.error.message);
    return log.value.items;
  };

  it('missing scope: signed in with funding:read_profile only, the form says what is not permitted and sends nothing', async () => {
    await signInThroughBrowser(desktop, { ...OPS, scopes: ['openid', 'offline_access', 'funding:read_profile'] });
    await page().getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page().locator('.toolbar-status').textContent(), { timeout: 15_000 }).toBe('3 accounts');

    await page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Session' }).click();
    const permissions = page().getByRole('table', { name: /Permissions/ }).locator('tbody tr');
    expect(await permissions.evaluateAll((rows) => rows.map((r) => r.lastElementChild?.textContent))).toEqual(['Granted', 'Not granted (optional)', 'Missing', 'Missing']);
    await page().getByText('Some permissions were not granted').waitFor();
    await expectAxeClean(page(), 'session-missing-scopes');

    await page().goto(form(ACME));
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    const state = page().locator('.notice-warning');
    await expect.poll(() => state.locator('.notice-title').textContent(), { timeout: 10_000 }).toBe(`Not permitted — sign in again and grant ${WRITE}.`);
    await amountField().fill('5');
    const review = page().getByRole('button', { name: 'Review order' });
    expect(await review.isDisabled()).toBe(true);
    expect(await review.getAttribute('aria-describedby')).toBeTruthy();
    await expectAxeClean(page(), 'mint-not-permitted');
    // One calm state, no alert and nothing attempted: the only entry is the sign-in.
    expect(await page().locator('.notice').count()).toBe(1);
    expect(await page().getByRole('alert').count()).toBe(0);
    expect((await activity()).map((e) => e.action)).toEqual(['sign_in']);
    expect(await truth.conversions()).toEqual([]);

    // "Sign in again" opens the browser at once; granting everything unlocks the form with the draft kept.
    await state.getByRole('button', { name: 'Sign in again' }).click();
    await finishInBrowser(desktop);
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    expect(await amountField().inputValue()).toBe('5');
    await expect.poll(() => review.isEnabled(), { timeout: 10_000 }).toBe(true);
    expect(await page().locator('.notice').count()).toBe(0);
  });

  it('insufficient funds: the typed reason is shown with the input kept, and nothing reaches the server', async () => {
    await page().goto(form(BLUE));
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page().locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: 1,520.75 USD');
    // Meanwhile the funds are spent elsewhere (the operator's own token, straight at the sandbox).
    expect((await truth.convert({ profile_id: BLUE, amount: '1500', source_asset: 'USD', target_asset: 'USDG' })).status).toBe(200);
    const ids = async () => (await truth.conversions()).map((c) => c.id);
    const before = await ids();

    await amountField().fill('1000');
    await page().getByRole('button', { name: 'Review order' }).click();
    await page().getByRole('button', { name: 'Submit mint' }).click();
    const alert = page().getByRole('alert').filter({ hasText: 'The order was not submitted. Your input is still here.' });
    await alert.waitFor({ timeout: 15_000 });
    expect(await alert.textContent()).toContain('Not enough USD: 1000 needed, 20.75 available.');
    expect(await alert.textContent()).toContain('Lower the amount, then review the order again.');
    expect(await amountField().inputValue()).toBe('1000');
    // The core re-read the balance before sending; the form now checks against it.
    await expect.poll(() => page().locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: 20.75 USD');
    expect(await page().locator('.field-error').textContent()).toBe('That is more than the 20.75 USD available.');
    await expectAxeClean(page(), 'mint-insufficient-funds');

    expect(await ids()).toEqual(before);
    expect((await truth.balances(BLUE))['USD']).toBe('20.75');
    expect((await activity())[0]).toMatchObject({ action: 'order_submit', outcome: 'error', refId: null });
    expect((await activity())[0]!.summary).toContain('refused before sending');
  });

  it('session expired mid-form: the typed amount survives, and after signing in again the order goes through', async () => {
    await page().goto(form(ACME));
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page().locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: 250,000.00 USD');
    await amountField().fill('12.34');
    await page().getByRole('button', { name: 'Review order' }).click();
    const before = await truth.conversions(ACME);

    // The grant is revoked elsewhere and every access token now counts as expired: the next call finds the session dead.
    const refreshToken = await desktop.secretStore.get(SERVICE, SUBJECT);
    await revokeRefreshToken(desktop.sandbox!, refreshToken!);
    desktop.sandbox!.chaos.set({ tokenExpiryOverrideSeconds: 0 });
    try {
      await page().getByRole('button', { name: 'Submit mint' }).click();
      await page().getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 15_000 });
    } finally {
      desktop.sandbox!.chaos.set({});
    }
    const notice = page().getByRole('status').filter({ hasText: 'You were signed out.' });
    expect(await notice.textContent()).toContain('Your session expired or was revoked. Sign in again.');
    expect(await notice.textContent()).toContain('Your unsent mint/redeem input is kept');
    expect(await desktop.secretStore.accounts(SERVICE)).toEqual([]);
    const recent = async () => (await activity()).slice(0, 2).map((e) => `${e.action}:${e.outcome}:${e.operator}`).sort();
    await expect.poll(recent).toEqual(['order_submit:error:op-7c1e2a', 'session_expired:error:op-7c1e2a']);
    await expectAxeClean(page(), 'session-expired');
    expect(await truth.conversions(ACME)).toEqual(before);

    await signInThroughBrowser(desktop);
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    expect(await amountField().inputValue()).toBe('12.34');
    await expect.poll(() => page().locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: 250,000.00 USD');
    await page().getByRole('button', { name: 'Review order' }).click();
    await page().getByRole('button', { name: 'Submit mint' }).click();
    await page().getByRole('heading', { name: 'Mint submitted', level: 1 }).waitFor({ timeout: 15_000 });
    const refId = await page().locator('.table tr[data-ref-id]').first().getAttribute('data-ref-id');
    await expect.poll(() => page().locator('.table tr[data-ref-id]').first().getAttribute('data-status'), { timeout: 15_000 }).toBe('settled');
    const after = await truth.conversions(ACME);
    expect(after).toHaveLength(before.length + 1);
    expect(after[0]).toMatchObject({ ref_id: refId, amount: '12.34', source_asset: 'USD', target_asset: 'USDP', status: 'SETTLED' });
  });

  it('ran under the strict CSP without console errors', () => {
    expect(desktop.pageErrors).toEqual([]);
  });
});
