// Playwright helpers for tests: launch Debian Chromium headless and drive the sandbox's real sign-in and consent pages.
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
] as const;

/** Launches headless Chromium (`CHROMIUM_PATH`, else /usr/bin/chromium). Close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] || '/usr/bin/chromium',
    headless: true,
    args: [...CHROMIUM_ARGS],
  });
}

export interface LoginAndConsentOptions {
  email: string;
  password: string;
  /** Scopes to leave ticked on the consent page (the others are unticked); default: leave all ticked. */
  scopes?: readonly string[];
  /** Press "Deny" instead of "Allow". */
  deny?: boolean;
  /** Overall limit in milliseconds (default 20 s). */
  timeoutMs?: number;
}

type PageState = 'login' | 'consent' | 'alert';

interface RedirectCapture {
  promise: Promise<string>;
  /** The captured redirect, once there is one. */
  value(): string | undefined;
  dispose(): void;
}

/**
 * Resolves with the first redirect to `prefix`, read from `Location` headers: a redirect to a
 * custom scheme never shows up as a request, and a loopback one may have nobody listening.
 */
function captureRedirect(page: Page, prefix: string): RedirectCapture {
  let captured: string | undefined;
  let onResponse: (response: Response) => void = () => undefined;
  const promise = new Promise<string>((resolve) => {
    onResponse = (response) => {
      const location = response.headers()['location'];
      if (!location || captured) return;
      const absolute = URL.canParse(location) ? location : new URL(location, response.url()).href;
      if (!absolute.startsWith(prefix)) return;
      captured = absolute;
      resolve(absolute);
    };
    page.on('response', onResponse);
  });
  return { promise, value: () => captured, dispose: () => page.off('response', onResponse) };
}

/** Waits for the redirect or for the page to show the sign-in form, the consent form or an alert. */
async function nextState(
  page: Page,
  capture: RedirectCapture,
  wanted: readonly PageState[],
  timeoutMs: number,
): Promise<PageState | 'redirect'> {
  const never = new Promise<never>(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sign-in flow: nothing happened within ${timeoutMs} ms (at ${page.url()})`)), timeoutMs);
  });
  const shown = page
    .waitForFunction(
      (states: readonly string[]) => {
        const found = document.querySelector('[role="alert"]')
          ? 'alert'
          : document.querySelector('form[action$="/confirm"]')
            ? 'consent'
            : document.querySelector('form[action$="/login"]')
              ? 'login'
              : undefined;
        return found !== undefined && states.includes(found) ? found : false;
      },
      wanted,
      { timeout: timeoutMs },
    )
    .then((handle) => handle.jsonValue() as Promise<PageState>, () => never);
  try {
    const state = await Promise.race([capture.promise.then(() => 'redirect' as const), shown, timeout]);
    return capture.value() !== undefined ? 'redirect' : state;
  } finally {
    clearTimeout(timer);
  }
}

async function alertText(page: Page): Promise<string> {
  return (await page.getByRole('alert').first().textContent())?.trim() ?? 'unknown error';
}

async function setScopes(page: Page, scopes: readonly string[]): Promise<void> {
  const boxes = page.locator('input[type="checkbox"][name="scope"]');
  for (const box of await boxes.all()) {
    const value = await box.getAttribute('value');
    await box.setChecked(value !== null && scopes.includes(value));
  }
}

async function withTimeout<T>(promise: Promise<T>, timeoutMs: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`sign-in flow: no ${what} within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

async function runFlow(page: Page, authorizeUrl: string, options: LoginAndConsentOptions): Promise<string> {
  const timeoutMs = options.timeoutMs ?? 20_000;
  const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri');
  if (!redirectUri) throw new Error('authorizeUrl has no redirect_uri');
  const capture = captureRedirect(page, redirectUri);
  try {
    // Navigation "fails" when the answer is a redirect to a custom scheme; the capture has it then.
    await page.goto(authorizeUrl, { timeout: timeoutMs }).catch(() => undefined);
    let state = await nextState(page, capture, ['login', 'consent', 'alert'], timeoutMs);
    if (state === 'login') {
      await page.getByLabel('Email').fill(options.email);
      await page.getByLabel('Password').fill(options.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // The sign-in page itself is not a wanted state here, so a not-yet-replaced page is not mistaken for the answer.
      state = await nextState(page, capture, ['consent', 'alert'], timeoutMs);
    }
    if (state === 'alert') throw new Error(`sign-in flow stopped: ${await alertText(page)}`);
    if (state === 'consent') {
      if (options.scopes) await setScopes(page, options.scopes);
      await page.getByRole('button', { name: options.deny ? 'Deny' : 'Allow' }).click();
    }
    return await withTimeout(capture.promise, timeoutMs, `redirect to ${redirectUri}`);
  } finally {
    capture.dispose();
  }
}

/**
 * Opens `authorizeUrl`, signs in (when the sign-in page shows), answers the consent page, and returns
 * the final redirect URL to the request's `redirect_uri` (custom scheme or loopback), with
 * `code`/`error`, `state` and `iss`.
 *
 * Prefer passing a context: each flow then runs in a new page (closed afterwards) while the sign-in
 * session cookie carries over. A page that already handed a redirect to a custom scheme can ignore
 * later form submissions in Chromium, and a loopback redirect with nobody listening leaves an error
 * navigation that may interrupt the next one, so pass a page only for a single flow.
 */
export async function loginAndConsent(
  target: Page | BrowserContext,
  authorizeUrl: string,
  options: LoginAndConsentOptions,
): Promise<string> {
  if ('goto' in target) return runFlow(target, authorizeUrl, options);
  const page = await target.newPage();
  try {
    return await runFlow(page, authorizeUrl, options);
  } finally {
    await page.close();
  }
}
