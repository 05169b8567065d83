// E2E, the full scenario on the real core and sandbox (the local sandbox on the conversions API, set in environments.json):
// sign in, thousands of accounts, detail, mint to Settled, redeem and cancel, activity, CSV, sign out.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceName } from '../../electron/core/auth/auth-service';
import { ACTIVITY_CSV_HEADER } from '../../electron/core/audit/csv';
import type { BalancesState } from '../../shared/domain';
import { addAmounts, formatAmount } from '../../shared/money';
import { startDesktop, UPDATING_SCREENSHOTS, type Desktop } from './harness';
import { ordersApiFile } from './orders-api-file';
import { expectAxeClean } from './page-checks';
import { sandboxTruth, type SandboxTruth } from './sandbox-truth';
import { signInThroughBrowser } from './sign-in-flow';

const ACME = 'a0000001-0000-4000-8000-000000000001';
const DELTA = 'a0000001-0000-4000-8000-000000000004'; // delegated to another operator
/** 2,000 rows already prove virtualization (a window of rows in the DOM); the screenshots and the render benchmark use 10,000. */
const PROFILES = UPDATING_SCREENSHOTS ? 10_000 : 2_000;
const ALL_ACCOUNTS = `${PROFILES.toLocaleString('en-US')} accounts`;
/** The last generated profile by name (the sandbox seeds 3 named ones and PROFILES - 3 generated). */
const LAST_GENERATED = `Generated Client ${String(PROFILES - 3).padStart(5, '0')}`;
const SERVICE = serviceName('sandbox-local');
/** The age of a balance, in the page's locale (en-US in headless Chromium): "as of 12:04 PM". */
const AS_OF = /^as of \d{1,2}:\d{2}(\s?[AP]M)?$/;

describe(`signed-in scenario (real core and sandbox with ${PROFILES.toLocaleString('en-US')} profiles)`, () => {
  let desktop: Desktop;
  let truth: SandboxTruth;
  let file: Awaited<ReturnType<typeof ordersApiFile>>;
  const refIds: { mint?: string; redeem?: string } = {};

  beforeAll(async () => {
    file = await ordersApiFile('conversions');
    // The screenshots catch a fresh order still Created; the tests only need settling to be observable, so it can be quicker.
    desktop = await startDesktop({ sandbox: { seedProfiles: PROFILES - 3, settleMs: UPDATING_SCREENSHOTS ? 1_500 : 600 }, viewport: { width: 1280, height: 800 }, environmentsFile: file.path });
    truth = sandboxTruth(desktop.sandbox!);
    await desktop.open();
    await signInThroughBrowser(desktop);
    await desktop.page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await desktop?.close();
    await file?.remove();
  });

  const nav = (name: string) => desktop.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const rows = () => desktop.page.locator('[role="rowgroup"].tbody [role="row"]');
  const row = (name: string) => rows().filter({ has: desktop.page.getByRole('link', { name, exact: true }) });
  const status = () => desktop.page.locator('.toolbar-status');

  it(`lists all ${PROFILES.toLocaleString('en-US')} profiles while only a window of rows exists in the DOM`, async () => {
    const { page } = desktop;
    await expect.poll(() => status().textContent(), { timeout: 60_000 }).toBe(ALL_ACCOUNTS);
    expect(await page.getByRole('table', { name: 'Delegated accounts' }).getAttribute('aria-rowcount')).toBe(String(PROFILES + 1));
    const initial = await rows().count();
    expect(initial).toBeGreaterThan(5);
    expect(initial).toBeLessThan(100);
    await row('Acme Treasury').waitFor();

    await page.getByTestId('accounts-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await row(LAST_GENERATED).waitFor({ timeout: 10_000 });
    expect(await rows().count()).toBeLessThan(100);
    expect(await rows().last().getAttribute('aria-rowindex')).toBe(String(PROFILES + 1));
    await page.getByTestId('accounts-scroller').evaluate((el) => el.scrollTo({ top: 0 }));
    await row('Acme Treasury').waitFor();
  });

  it('fills in the balances of the rows on screen, each with its age, and the total across accounts once all are in', async () => {
    const acme = row('Acme Treasury');
    await expect.poll(() => acme.locator('.cell-total .amount').textContent(), { timeout: 20_000 }).toBe('251,500.50');
    expect(await acme.locator('.cell-holdings').textContent()).toBe('250,000.00 USD · 1,200.50000000 USDP · 300.000000 PYUSD');
    expect(await acme.locator('.cell-total .as-of').textContent()).toMatch(AS_OF);
    // Every delegated profile's USD and stablecoins, summed exactly (1:1), as the sandbox holds them.
    const exact = desktop.sandbox!.seed.profiles
      .filter((p) => p.operator === 'op-7c1e2a')
      .reduce((sum, p) => (['USD', 'USDP', 'PYUSD', 'USDG'] as const).reduce((acc, a) => addAmounts(acc, p.balances[a] ?? '0'), sum), '0');
    await expect.poll(() => desktop.page.getByTestId('book-total').textContent(), { timeout: 60_000 }).toBe(`${formatAmount(exact, 'USD')} USD`);
    expect(await desktop.page.getByTestId('book-age').textContent()).toMatch(AS_OF);
    await expectAxeClean(desktop.page, 'accounts');
  });

  it('applies balances pushed by main (accounts:changed) without reloading the list', async () => {
    const acme = row('Acme Treasury');
    const original = await desktop.handlers['accounts:getBalances']({ profileId: ACME });
    if (!original.ok) throw new Error(original.error.message);
    const pushed: BalancesState = { status: 'ready', items: [{ asset: 'USD', available: '7.5', trading: '0' }], others: [], totalUsd: '7.5', loadedAt: '2026-01-01T00:00:00Z' };
    desktop.core.events.emit('accounts:changed', { kind: 'balances', profileId: ACME, balances: pushed });
    await expect.poll(() => acme.locator('.cell-total .amount').textContent(), { timeout: 5_000 }).toBe('7.50');
    desktop.core.events.emit('accounts:changed', { kind: 'balances', profileId: ACME, balances: original.value });
    await expect.poll(() => acme.locator('.cell-total .amount').textContent(), { timeout: 5_000 }).toBe('251,500.50');
  });

  it('searches and sorts through the core', async () => {
    const { page } = desktop;
    const search = page.getByLabel('Search accounts');
    await search.fill('cedar');
    await expect.poll(() => status().textContent(), { timeout: 10_000 }).toBe('1 account matching “cedar”');
    await expect.poll(() => rows().count()).toBe(1);
    await row('Cedar Payments').waitFor();
    await search.fill('');
    await expect.poll(() => status().textContent(), { timeout: 20_000 }).toBe(ALL_ACCOUNTS);

    const sort = page.getByLabel('Sort by');
    await sort.selectOption({ label: 'Name, Z to A' });
    await expect.poll(() => rows().first().locator('a').textContent(), { timeout: 20_000 }).toBe(LAST_GENERATED);
    expect(await page.getByRole('columnheader', { name: 'Account' }).getAttribute('aria-sort')).toBe('descending');
    await sort.selectOption({ label: 'Total, highest first' });
    await expect.poll(() => rows().first().locator('a').textContent(), { timeout: 20_000 }).toBe('Acme Treasury');
    expect(await page.getByRole('columnheader', { name: 'Total (USD)' }).getAttribute('aria-sort')).toBe('descending');
    await sort.selectOption({ label: 'Name, A to Z' });
    await expect.poll(() => rows().first().locator('a').textContent(), { timeout: 20_000 }).toBe('Acme Treasury');
  });

  it('is usable from the keyboard: Tab to an account and open it with Enter', async () => {
    const { page } = desktop;
    await page.getByLabel('Search accounts').focus();
    const focused = () => page.evaluate(() => document.activeElement?.textContent?.trim() || document.activeElement?.getAttribute('aria-label') || document.activeElement?.tagName);
    for (let i = 0; i < 6 && (await focused()) !== 'Acme Treasury'; i++) await page.keyboard.press('Tab');
    expect(await focused()).toBe('Acme Treasury');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Acme Treasury', level: 1 }).waitFor();
    expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
  });

  it('opens an account by id after a reload (accounts:getProfile): balances per asset as the sandbox holds them, the chart, recent orders', async () => {
    const { page } = desktop;
    await page.goto(`${desktop.origin}/index.html#/accounts/${ACME}`);
    await page.getByRole('heading', { name: 'Acme Treasury', level: 1 }).waitFor({ timeout: 15_000 });
    const balances = page.getByRole('table', { name: 'Balances' });
    await balances.waitFor({ timeout: 15_000 });
    // The sandbox lists every asset, as Paxos does: the four the app trades, and others (BTC held here; EUR, ETH … at zero).
    const held = await truth.balances(ACME);
    expect(held).toMatchObject({ USD: '250000.00', USDP: '1200.50000000', PYUSD: '300.000000', USDG: '0', BTC: '1.23103715', EUR: '0' });
    const body = await balances.locator('tbody tr').allTextContents();
    expect(body).toEqual(['USD250,000.000.00', 'USDP1,200.500000000.00000000', 'PYUSD300.0000000.000000', 'USDG0.000000000.00000000']);
    expect(await balances.locator('tfoot').textContent()).toContain('251,500.50');
    expect(await page.getByRole('img', { name: /^Holdings:/ }).getAttribute('aria-label')).toBe('Holdings: USD 250,000.00, USDP 1,200.50000000, PYUSD 300.000000, USDG 0.00000000');
    // Assets the app does not trade are kept and shown, not counted in the USD total.
    const others = page.getByRole('table', { name: 'Other holdings' });
    expect(await others.locator('tbody tr').allTextContents()).toEqual(['BTC1.231037150']);
    const zeroAssets = Object.keys(held).filter((a) => !['USD', 'USDP', 'PYUSD', 'USDG', 'BTC'].includes(a));
    expect(zeroAssets.length).toBeGreaterThan(0);
    expect(await page.locator('#other-holdings-note').textContent()).toContain(`Also listed with a zero balance: ${zeroAssets.join(', ')}.`);
    // Acme is the operator's DEFAULT profile: no user identity or account is known or sent for it.
    expect(await page.locator('dl.meta').textContent()).toContain('Default profile');
    expect(await page.locator('dl.meta').textContent()).toContain('AccountNot known');
    await page.getByText('No orders for this account yet.').waitFor({ timeout: 10_000 });
    await expectAxeClean(page, 'account-detail');
  });

  it('says plainly when an account id is not delegated to the operator', async () => {
    const { page } = desktop;
    await page.goto(`${desktop.origin}/index.html#/accounts/${DELTA}`);
    await page.getByRole('heading', { name: 'Account not found', level: 1 }).waitFor({ timeout: 15_000 });
    expect(await page.locator('.view').textContent()).toContain(`No profile delegated to you has the id ${DELTA}.`);
    await expectAxeClean(page, 'account-not-found');
    await page.goto(`${desktop.origin}/index.html#/accounts/${ACME}`);
    await page.getByRole('heading', { name: 'Acme Treasury', level: 1 }).waitFor({ timeout: 15_000 });
  });

  it('mint form: per-asset precision, balance check, Max, and a confirmation showing exactly what will be sent', async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Mint or redeem' }).click();
    await page.getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor();
    const amount = page.getByLabel('Amount in USD');
    const error = page.locator('.field-error');
    await expect.poll(() => page.locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: 250,000.00 USD');
    await amount.fill('1.234');
    expect(await error.textContent()).toBe('USD allows at most 2 decimal places.');
    expect(await amount.getAttribute('aria-invalid')).toBe('true');
    await amount.fill('1e3');
    expect(await error.textContent()).toContain('Use digits');
    await amount.fill('250000.01');
    expect(await error.textContent()).toBe('That is more than the 250,000.00 USD available.');
    await page.getByRole('button', { name: 'Max', exact: true }).click();
    expect(await amount.inputValue()).toBe('250000.00');
    expect(await error.textContent()).toBe('');

    // Redeem takes the stablecoin as source; the amount still has to fit USD's 2 decimals.
    await page.getByLabel('Redeem: USDP → USD').check();
    await page.getByLabel('Stablecoin').selectOption('PYUSD');
    await page.getByRole('button', { name: 'Max', exact: true }).click();
    expect(await page.getByLabel('Amount in PYUSD').inputValue()).toBe('300.00');

    await page.getByLabel('Mint: USD → PYUSD').check();
    await page.getByLabel('Stablecoin').selectOption('USDP');
    await amount.fill('1000');
    await expectAxeClean(desktop.page, 'mint-form');
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('heading', { name: 'Check and confirm' }).waitFor();
    const confirm = page.locator('dl.confirm');
    const pairs = await confirm.evaluate((dl) => [...dl.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`));
    expect(pairs).toEqual([
      `Account: Acme Treasury ${ACME}`,
      'User identity and account: Not sent (not known for this profile)',
      'Environment: Local sandbox',
      'Sent through: Stablecoin conversions (deprecated by Paxos) POST /conversion/stablecoins',
      'Order: Mint: USD → USDP',
      'Amount: 1,000.00 USD',
      'USD available after: 249,000.00 USD (now 250,000.00 USD)',
      'USDP available after it settles: 2,200.50000000 USDP',
    ]);
    await expectAxeClean(desktop.page, 'mint-review');
  });

  it('when a submit fails, the form says why and keeps its input; nothing reached the server', async () => {
    const { page } = desktop;
    desktop.sandbox!.chaos.set({ errorRate: 1 }); // every /v2 call answers 503
    try {
      await page.getByRole('button', { name: 'Submit mint' }).click();
      await page.getByRole('alert').filter({ hasText: 'The order was not submitted. Your input is still here.' }).waitFor({ timeout: 60_000 });
    } finally {
      desktop.sandbox!.chaos.set({});
    }
    expect(await truth.conversions()).toEqual([]);
    expect(await page.getByLabel('Amount in USD').inputValue()).toBe('1000');
    expect(await page.getByLabel('Mint: USD → USDP').isChecked()).toBe(true);
    await expectAxeClean(page, 'mint-failed');
    // The draft outlives the view: leave and come back.
    await nav('Orders').click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    await page.goBack();
    await page.getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor();
    expect(await page.getByLabel('Amount in USD').inputValue()).toBe('1000');
  });

  it('mint: submitted, live status to Settled, and the balances move to the cent and unit the sandbox holds', async () => {
    const { page } = desktop;
    await page.getByRole('button', { name: 'Review order' }).click();
    await page.getByRole('button', { name: 'Submit mint' }).click();
    await page.getByRole('heading', { name: 'Mint submitted', level: 1 }).waitFor({ timeout: 20_000 });
    const badge = page.locator('.table [data-status]').first();
    refIds.mint = (await page.locator('.table tr[data-ref-id]').first().getAttribute('data-ref-id')) ?? undefined;
    await expectAxeClean(page, 'mint-submitted');
    await expect.poll(() => badge.getAttribute('data-status'), { timeout: 20_000 }).toBe('settled');
    expect(await truth.conversions(ACME)).toMatchObject([{ ref_id: refIds.mint, amount: '1000', source_asset: 'USD', target_asset: 'USDP', status: 'SETTLED' }]);
    const server = await truth.balances(ACME);
    expect(server).toMatchObject({ USD: '249000.00', USDP: '2200.50000000' });
    await page.getByRole('link', { name: 'Back to account' }).click();
    const balances = page.getByRole('table', { name: 'Balances' });
    await expect.poll(() => balances.locator('tbody tr').first().textContent(), { timeout: 10_000 }).toBe('USD249,000.000.00');
    await expect.poll(() => balances.locator('tbody tr').nth(1).textContent(), { timeout: 10_000 }).toBe('USDP2,200.500000000.00000000');
    await expect.poll(() => page.getByRole('table', { name: 'Recent orders of this account' }).locator('tbody tr').count()).toBe(1);
  });

  it('redeem, then cancel it while it is Created: the sandbox refunds the source and never settles it', async () => {
    const { page } = desktop;
    await page.getByRole('link', { name: 'Mint or redeem' }).click();
    expect(await page.getByLabel('Amount in USD').inputValue(), 'a submitted draft is cleared').toBe('');
    await page.getByLabel('Redeem: USDP → USD').check();
    await page.getByLabel('Stablecoin').selectOption('PYUSD');
    await page.getByLabel('Amount in PYUSD').fill('100');
    await page.getByRole('button', { name: 'Review order' }).click();
    expect(await page.locator('dl.confirm').textContent()).toContain('Redeem: PYUSD → USD');
    const settlement = desktop.sandbox!.settlement;
    const usual = settlement.delayMs();
    settlement.setDelayMs(600_000); // this conversion stays CREATED until it is cancelled
    try {
      await page.getByRole('button', { name: 'Submit redeem' }).click();
      await page.getByRole('heading', { name: 'Redeem submitted', level: 1 }).waitFor({ timeout: 20_000 });
    } finally {
      settlement.setDelayMs(usual);
    }
    refIds.redeem = (await page.locator('.table tr[data-ref-id]').first().getAttribute('data-ref-id')) ?? undefined;
    expect((await truth.balances(ACME))['PYUSD']).toBe('200.000000');
    await page.getByRole('button', { name: 'Cancel redeem of 100.000000 PYUSD' }).click();
    await expect.poll(() => page.locator('.table [data-status]').first().getAttribute('data-status'), { timeout: 10_000 }).toBe('cancelled');
    expect(await page.getByRole('button', { name: /^Cancel redeem/ }).count()).toBe(0);
    const [redeem] = await truth.conversions(ACME);
    expect(redeem).toMatchObject({ ref_id: refIds.redeem, amount: '100', source_asset: 'PYUSD', target_asset: 'USD', status: 'CANCELLED' });
    expect(await truth.balances(ACME)).toMatchObject({ USD: '249000.00', PYUSD: '300.000000' });
  });

  it('lists orders with live status, filtered by status and account', async () => {
    const { page } = desktop;
    await nav('Orders').click();
    await page.getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    expect(await page.getByLabel('Status').locator('option').allTextContents()).toEqual([
      'All statuses',
      'Submitting',
      'Awaiting approval',
      'Created or processing',
      'Settled or completed',
      'Cancelled',
      'Rejected',
      'Failed',
      'Checking',
    ]);
    const orderRows = page.getByRole('table', { name: 'Orders' }).locator('tbody tr');
    await expect.poll(() => orderRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status'))), { timeout: 10_000 }).toEqual(['cancelled', 'settled']);
    await expectAxeClean(page, 'orders');
    await page.getByLabel('Status').selectOption({ label: 'Settled or completed' });
    await expect.poll(() => orderRows.evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')))).toEqual(['settled']);
    expect(await orderRows.first().textContent()).toContain('Mint USD → USDP');
    await page.getByLabel('Status').selectOption('all');
    await page.getByLabel('Account').selectOption({ label: 'Acme Treasury' });
    await expect.poll(() => orderRows.count()).toBe(2);
    await page.getByLabel('Account').selectOption('all');
  });

  /** What the operator did so far, newest first, as the Activity view labels it (action · result). */
  const EXPECTED_ACTIVITY = [
    'Order cancelled · OK',
    'Order result · OK',
    'Order submitted · OK',
    'Order result · OK',
    'Order submitted · OK',
    'Order submitted · Failed',
    'Signed in · OK',
  ];

  it('shows every action in the activity log, live, newest first', async () => {
    const { page } = desktop;
    await nav('Activity').click();
    await page.getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    const activityRows = page.getByRole('table', { name: 'Activity log' }).locator('tbody tr');
    const actions = () => activityRows.evaluateAll((rows) => rows.map((r) => `${r.children[3]?.textContent} · ${r.children[4]?.textContent}`));
    await expect.poll(actions, { timeout: 10_000 }).toEqual(EXPECTED_ACTIVITY);
    const details = await activityRows.evaluateAll((rows) => rows.map((r) => r.children[5]?.textContent ?? ''));
    expect(details[0]).toBe(`Cancel: Redeem 100 PYUSD → USD for Acme Treasury (${ACME}) — cancelled`);
    expect(details[5]).toContain(`Mint 1000 USD → USDP for Acme Treasury (${ACME}): refused before sending`);
    // Paxos's sign-in names the operator by subject only (claims_supported: sub).
    expect(details[6]).toBe('Signed in as op-7c1e2a');
    expect(await activityRows.first().locator('td').nth(1).textContent()).toBe('op-7c1e2a');
    expect(await activityRows.first().locator('td').nth(2).textContent()).toBe('Local sandbox');
    await expectAxeClean(page, 'activity');
  });

  it('exports the log as CSV through the save dialog, and says so when the operator cancels it', async () => {
    const { page } = desktop;
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved 7 entries.' }).waitFor({ timeout: 10_000 });
    expect(desktop.saves.saved).toHaveLength(1);
    const [file] = desktop.saves.saved;
    expect(await page.locator('.notice-success .mono').textContent()).toBe(file);
    expect(desktop.saves.suggested[0]).toMatch(/^partner-console-activity-\d{4}-\d{2}-\d{2}\.csv$/);
    const text = await readFile(file!, 'utf8');
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe(''); // every row ends in CRLF
    expect(lines[0]).toBe(ACTIVITY_CSV_HEADER.join(','));
    const rows = lines.slice(1, -1).map((l) => l.split(','));
    expect(rows.every((r) => r.length === ACTIVITY_CSV_HEADER.length), 'no cell here needs quoting').toBe(true);
    expect(rows.map((r) => `${r[3]}:${r[4]}`)).toEqual(['sign_in:ok', 'order_submit:error', 'order_submit:ok', 'order_result:ok', 'order_submit:ok', 'order_result:ok', 'order_cancel:ok']);
    expect(rows.every((r) => r[1] === 'op-7c1e2a' && r[2] === 'sandbox-local')).toBe(true);
    expect(rows.filter((r) => r[6] === refIds.mint)).toHaveLength(2);
    expect(rows.filter((r) => r[6] === refIds.redeem)).toHaveLength(3);
    await expectAxeClean(page, 'activity-exported');

    desktop.saves.cancelNext();
    await page.getByRole('button', { name: 'Export CSV' }).click();
    await page.getByRole('status').filter({ hasText: 'Export cancelled: nothing was saved.' }).waitFor({ timeout: 10_000 });
    expect(desktop.saves.suggested).toHaveLength(2);
    expect(desktop.saves.saved).toHaveLength(1);
  });

  it('shows the session: operator, environment, scopes granted against those needed, expiry countdown', async () => {
    const { page } = desktop;
    await nav('Session').click();
    await page.getByRole('heading', { name: 'Session', level: 1 }).waitFor();
    const meta = page.locator('dl.meta');
    const text = (await meta.textContent()) ?? '';
    // Only the subject is known: Paxos's server lists no name or e-mail claim.
    expect(text).toContain('Operatorop-7c1e2a');
    expect(text).toContain('Subjectop-7c1e2a');
    expect(text).not.toContain('ops@partner.test');
    expect(text).toContain('Local sandbox');
    expect(text).toContain('Orders APIStablecoin conversions (deprecated by Paxos) /conversion/stablecoins');
    expect(await meta.locator('time').textContent()).toMatch(/^in [1-5]?\d min \d\d s$|^in 1 h 00 min$/);
    const granted = await page.getByRole('table', { name: /Permissions/ }).locator('tbody tr').allTextContents();
    expect(granted).toEqual([
      'funding:read_profileSee delegated profiles and balancesGranted',
      'identity:read_accountSee which user and account own each profile, and send them with ordersGranted',
      'conversion:read_conversion_stablecoinSee mint and redeem ordersGranted',
      'conversion:write_conversion_stablecoinSubmit and cancel mint and redeem ordersGranted',
    ]);
    await expectAxeClean(page, 'session');
  });

  it('signs out: the keychain is empty, the sign-out is logged, and the app is back on the sign-in view', async () => {
    const { page } = desktop;
    expect(await desktop.secretStore.accounts(SERVICE)).toEqual(['op-7c1e2a']);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Continue in your browser' }).waitFor({ timeout: 10_000 });
    expect(await desktop.secretStore.accounts(SERVICE)).toEqual([]);
    const latest = async () => {
      const log = await desktop.handlers['activity:list']({ limit: 1 });
      return log.ok ? log.value.items[0] : log.error.code;
    };
    await expect.poll(latest).toMatchObject({ action: 'sign_out', outcome: 'ok', operator: 'op-7c1e2a' });
    const after = await desktop.handlers['accounts:listProfiles']({ limit: 1, sort: 'name', direction: 'asc' });
    expect(!after.ok && after.error.code).toBe('signed_out');
  });

  it('ran under the strict CSP without console errors', () => {
    expect(desktop.pageErrors).toEqual([]);
  });
});
