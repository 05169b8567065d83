// E2E through the Orchestrations API (the built-ins' default) on the real core and sandbox: a mint that needs no approval,
// and one above the sandbox's approval threshold that the review announces, waits as "Awaiting approval" (who acts, where),
// is approved by a second operator on the sandbox's approval endpoint, and completes live in Orders.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDesktop, type Desktop } from './harness';
import { expectAxeClean } from './page-checks';
import { sandboxTruth, type SandboxTruth } from './sandbox-truth';
import { signInThroughBrowser } from './sign-in-flow';

const ACME = 'a0000001-0000-4000-8000-000000000001'; // USD 250,000.00, USDP 1,200.5, PYUSD 300
const OPS2 = { email: 'ops2@partner.test', password: 'sandbox' };

describe('mint through orchestrations, with and without approval (real core and sandbox)', () => {
  let desktop: Desktop;
  let truth: SandboxTruth;
  let approver: SandboxTruth;
  const refIds: { plain?: string; approved?: string } = {};

  beforeAll(async () => {
    desktop = await startDesktop({ sandbox: { settleMs: 600 } });
    truth = sandboxTruth(desktop.sandbox!);
    approver = sandboxTruth(desktop.sandbox!, OPS2);
    await desktop.open();
    await signInThroughBrowser(desktop);
    await desktop.page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await desktop?.close();
  });

  const page = () => desktop.page;
  const nav = (name: string) => page().getByRole('navigation', { name: 'Main' }).getByRole('link', { name });
  const confirmPairs = () => page().locator('dl.confirm').evaluate((dl) => [...dl.querySelectorAll('dt')].map((dt) => `${dt.textContent}: ${dt.nextElementSibling?.textContent}`));

  async function review(amount: string): Promise<void> {
    await page().goto(`${desktop.origin}/index.html#/accounts/${ACME}`);
    await page().getByRole('heading', { name: 'Acme Treasury', level: 1 }).waitFor({ timeout: 15_000 });
    await page().getByRole('link', { name: 'Mint or redeem' }).click();
    await page().getByRole('heading', { name: 'Mint or redeem', level: 1 }).waitFor({ timeout: 15_000 });
    await expect.poll(() => page().locator('.hint').textContent(), { timeout: 10_000 }).toContain('Available: ');
    await page().getByLabel('Stablecoin').selectOption('USDP');
    await page().getByLabel('Amount in USD').fill(amount);
    await page().getByRole('button', { name: 'Review order' }).click();
    await page().getByRole('heading', { name: 'Check and confirm' }).waitFor();
  }

  it('shows the orders API in use and asks for its scopes on the Session view', async () => {
    await nav('Session').click();
    await page().getByRole('heading', { name: 'Session', level: 1 }).waitFor();
    expect(await page().locator('dl.meta').textContent()).toContain('Orders APIOrchestrations /orchestration/orchestrations');
    expect(await page().getByRole('table', { name: /Permissions/ }).locator('tbody tr').allTextContents()).toEqual([
      'funding:read_profileSee delegated profiles and balancesGranted',
      'identity:read_accountSee which user and account own each profile, and send them with ordersGranted',
      'orchestration:read_orchestrationSee mint and redeem ordersGranted',
      'orchestration:write_orchestrationSubmit mint and redeem ordersGranted',
    ]);
    await expectAxeClean(page(), 'session-orchestrations');
  });

  it('a mint below the threshold: no approval announced, processing, then completed live; the sandbox holds one COMPLETED orchestration', async () => {
    await review('100');
    expect(await confirmPairs()).toContain('Sent through: Orchestrations POST /orchestration/orchestrations');
    expect(await page().locator('.notice-warning').count()).toBe(0);
    await page().getByRole('button', { name: 'Submit mint' }).click();
    await page().getByRole('heading', { name: 'Mint submitted', level: 1 }).waitFor({ timeout: 20_000 });
    const row = page().locator('.table tr[data-ref-id]').first();
    refIds.plain = (await row.getAttribute('data-ref-id')) ?? undefined;
    // Orchestrations cannot be cancelled: no Cancel while it is processing.
    expect(await page().getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
    await expect.poll(() => row.getAttribute('data-status'), { timeout: 20_000 }).toBe('settled');
    expect(await row.locator('.badge').textContent()).toBe('Completed');
    expect(await truth.orchestrations(ACME)).toMatchObject([{ ref_id: refIds.plain, source_amount: '100', source_asset: 'USD', destination_asset: 'USDP', status: 'COMPLETED', metadata: { app: 'Partner Console', operator: 'op-7c1e2a' } }]);
    expect(await truth.conversions()).toEqual([]);
  });

  it('a mint above the threshold: the review says beforehand that it will need approval, and by whom', async () => {
    await review('20000');
    const notice = page().locator('.notice-warning');
    expect(await notice.locator('.notice-title').textContent()).toBe('This order will need approval before it is carried out.');
    const text = (await notice.textContent()) ?? '';
    expect(text).toContain('above this sandbox’s approval threshold of 10,000.00 USD');
    expect(text).toContain('A second operator (not you) must approve or refuse it.');
    expect(text).toContain('/_sandbox/approvals');
    await expectAxeClean(page(), 'mint-review-approval');
  });

  it('submitted, it says plainly that it awaits approval (who acts, where), offers no cancel, and stays in Orders', async () => {
    await page().getByRole('button', { name: 'Submit mint' }).click();
    await page().getByRole('heading', { name: 'Mint submitted', level: 1 }).waitFor({ timeout: 20_000 });
    const notice = page().locator('.notice-warning');
    expect(await notice.locator('.notice-title').textContent()).toBe(`Awaiting approval: Mint of 20,000.00 USD for Acme Treasury`);
    expect(await notice.textContent()).toContain('A second operator (not you) must approve or refuse it.');
    expect(await notice.textContent()).toContain('Partner Console cannot approve it.');
    const row = page().locator('.table tr[data-ref-id]').first();
    refIds.approved = (await row.getAttribute('data-ref-id')) ?? undefined;
    expect(await row.getAttribute('data-status')).toBe('awaiting_approval');
    expect(await row.locator('.badge').textContent()).toBe('Awaiting approval');
    expect(await page().getByRole('button', { name: /^Cancel/ }).count()).toBe(0);
    await expectAxeClean(page(), 'mint-awaiting-approval');

    await nav('Orders').click();
    await page().getByRole('heading', { name: 'Orders', level: 1 }).waitFor();
    const waiting = page().getByRole('table', { name: 'Orders' }).locator(`tr[data-ref-id="${refIds.approved}"]`);
    await expect.poll(() => waiting.getAttribute('data-status'), { timeout: 10_000 }).toBe('awaiting_approval');
    expect(await waiting.locator('.approval-note').textContent()).toBe('A second operator (not you) must approve or refuse it. It stays here and updates by itself.');
    await expectAxeClean(page(), 'orders-awaiting-approval');
    // The sandbox holds it PENDING with the USD reserved (a sandbox assumption); nothing was sent twice.
    const [pending] = await truth.orchestrations(ACME);
    expect(pending).toMatchObject({ ref_id: refIds.approved, status: 'PENDING', source_amount: '20000' });
    expect((await truth.balances(ACME))['USD']).toBe('229900.00');
  });

  it('the submitter cannot approve it; a second operator approves on the sandbox endpoint and Orders follows it live to Completed', async () => {
    const [pending] = await truth.orchestrations(ACME);
    expect((await truth.decide(pending!.id, 'approve')).status).toBe(403);
    expect(await approver.decide(pending!.id, 'approve')).toMatchObject({ status: 200, body: { status: 'PROCESSING', decided_by: 'op-93bd04' } });
    const waiting = page().getByRole('table', { name: 'Orders' }).locator(`tr[data-ref-id="${refIds.approved}"]`);
    // PENDING is polled with a longer back-off (4 × the usual maximum), so the change may take a few seconds to show.
    await expect.poll(() => waiting.getAttribute('data-status'), { timeout: 20_000 }).toBe('settled');
    expect(await waiting.locator('.badge').textContent()).toBe('Completed');
    expect(await waiting.locator('.approval-note').count()).toBe(0);
    expect((await truth.orchestrations(ACME))[0]).toMatchObject({ ref_id: refIds.approved, status: 'COMPLETED' });
    expect(await truth.balances(ACME)).toMatchObject({ USD: '229900.00', USDP: '21300.50000000' });
  });

  it('records the approval in the activity log', async () => {
    await nav('Activity').click();
    await page().getByRole('heading', { name: 'Activity', level: 1 }).waitFor();
    const details = page().getByRole('table', { name: 'Activity log' }).locator('tbody tr td:nth-child(6)');
    await expect.poll(() => details.first().textContent(), { timeout: 10_000 }).toBe(`Mint 20000 USD → USDP for Acme Treasury (${ACME}): approved (PROCESSING)`);
    expect((await details.allTextContents()).some((t) => /: accepted as orchestration [0-9a-f-]{36} \(PENDING: awaiting approval\)$/.test(t))).toBe(true);
  });

  it('ran under the strict CSP without console errors', () => {
    expect(desktop.pageErrors).toEqual([]);
  });
});
