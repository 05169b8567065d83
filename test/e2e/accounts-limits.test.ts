// E2E against the sandbox enforcing Paxos's published limits (window and lockout scaled to 9 s), so a book of a few hundred
// accounts takes seconds to load: the rows on screen first with their age, the total as progress until every balance is
// in, rows scrolled to ahead of the background, and a 429 lockout told plainly until when, then loading resumes.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../sandbox/start';
import { startDesktop, type Desktop } from './harness';
import { expectAxeClean } from './page-checks';
import { signInThroughBrowser } from './sign-in-flow';

const PROFILES = 600;
/** A 9 s window and lockout: long enough to check and photograph the paused state, short enough for a test. */
const SCALE = 0.03;
const PROGRESS = new RegExp(`^(\\d[\\d,]*) of ${PROFILES} loaded$`);
const AS_OF = /^as of \d{1,2}:\d{2}(\s?[AP]M)?$/;

describe(`accounts within Paxos's request limits (${PROFILES} profiles, sandbox enforcing the published limits at scale ${SCALE})`, () => {
  let sandbox: Sandbox;
  let desktop: Desktop;
  let dir: string;

  beforeAll(async () => {
    sandbox = await startSandbox({ seedProfiles: PROFILES - 3, rateLimitScale: SCALE });
    dir = await mkdtemp(join(tmpdir(), 'pc-e2e-limits-'));
    const file = join(dir, 'environments.json');
    // The environment says what its server enforces: Paxos's limits with the sandbox's 9 s window and lockout.
    const environment = { id: 'sandbox-limits', label: 'Sandbox with Paxos limits', issuer: sandbox.issuer, apiBase: sandbox.api, clientId: 'partner-console', rateLimits: { windowSeconds: 300 * SCALE, lockoutSeconds: 300 * SCALE } };
    await writeFile(file, JSON.stringify({ environments: [environment] }));
    desktop = await startDesktop({ environmentsFile: file, viewport: { width: 1280, height: 800 } });
    await desktop.open();
    await desktop.page.getByLabel('Environment').selectOption({ label: 'Sandbox with Paxos limits' });
    await signInThroughBrowser(desktop);
    await desktop.page.getByRole('heading', { name: 'Accounts', level: 1 }).waitFor({ timeout: 15_000 });
  });
  afterAll(async () => {
    await desktop?.close();
    await sandbox?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const rows = () => desktop.page.locator('[role="rowgroup"].tbody [role="row"][data-profile-id]');
  const total = () => desktop.page.getByTestId('book-total');
  const loadedSoFar = async (): Promise<number | null> => {
    const match = PROGRESS.exec((await total().textContent()) ?? '');
    return match ? Number(match[1]!.replace(/,/g, '')) : null;
  };
  /** Every row on screen shows its total and age. */
  const screenLoaded = () => rows().evaluateAll((all) => all.length > 0 && all.every((r) => r.querySelector('.cell-total .as-of') !== null));

  it('shows the balances on screen first, each with its age, and the total as progress until every balance is in', async () => {
    await expect.poll(screenLoaded, { timeout: 20_000 }).toBe(true);
    // While later pages of accounts are on their way the count says so ("of 200+"); then it is the whole book's.
    await expect.poll(loadedSoFar, { timeout: 10_000, message: 'the total shows progress, not a partial sum' }).not.toBeNull();
    expect((await loadedSoFar())!).toBeLessThan(PROFILES);
    expect(await rows().first().locator('.as-of').textContent()).toMatch(AS_OF);
    expect(await desktop.page.getByTestId('book-age').textContent()).toMatch(AS_OF);
    await expectAxeClean(desktop.page, 'accounts-loading');
  });

  it('rows scrolled to are read ahead of the background', async () => {
    const { page } = desktop;
    await page.getByTestId('accounts-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await rows().filter({ hasText: `Generated Client ${String(PROFILES - 3).padStart(5, '0')}` }).waitFor({ timeout: 10_000 });
    await expect.poll(screenLoaded, { timeout: 10_000 }).toBe(true);
    // The last profiles by name are the last ones the background reaches, and it is not there yet.
    expect(await loadedSoFar()).not.toBeNull();
    await page.getByTestId('accounts-scroller').evaluate((el) => el.scrollTo({ top: 0 }));
  });

  it('a 429 pauses loading: the operator is told until when, and loading resumes by itself', async () => {
    const { page } = desktop;
    const banner = page.getByRole('region', { name: 'Request limit notice' });
    const shown = banner.waitFor({ timeout: 30_000 });
    // Another program on this computer spends the IP's limit; the app's next request gets the 429.
    await Promise.all(Array.from({ length: 500 }, () => fetch(`${sandbox.api}/profiles/x/balances`).then((r) => r.body?.cancel())));
    // Not awaited: if a background read met the 429 first, this read waits in the budget until the lockout is over.
    const read = desktop.handlers['accounts:getProfile']({ profileId: 'a0000001-0000-4000-8000-0000000000ff' });
    await shown;
    expect(await banner.textContent()).toMatch(/^Paxos is limiting requests from this computer until \d{1,2}:\d{2}/);
    expect(await page.locator('.book-summary').textContent()).toMatch(/paused until \d{1,2}:\d{2}/);
    await expectAxeClean(page, 'accounts-paused');
    await banner.waitFor({ state: 'detached', timeout: 30_000 });
    await read;
    const rejected = sandbox.rateLimits.rejected();
    await expect.poll(() => total().textContent(), { timeout: 60_000 }).toMatch(/^\d[\d,]*\.\d\d USD$/);
    expect(sandbox.rateLimits.rejected(), 'no 429 after the lockout').toBe(rejected);
  });

  it('ran under the strict CSP without console errors', () => {
    expect(desktop.pageErrors).toEqual([]);
  });
});
