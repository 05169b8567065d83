// Drives the sandbox's real sign-in and consent pages over plain HTTP (fetch + a cookie jar), for tests that
// need many authorization codes quickly; the Chromium run in browser-flow.int.test.ts covers the pages in a browser.

interface StoredCookie {
  name: string;
  value: string;
  path: string;
}

/** A minimal cookie jar for one origin: honours Path and deletion, ignores everything else. */
export class CookieJar {
  private readonly cookies = new Map<string, StoredCookie>();

  store(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(';').map((part) => part.trim());
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      let path = '/';
      let expired = value === '';
      for (const attribute of attributes) {
        const [key = '', raw = ''] = attribute.split('=');
        if (key.toLowerCase() === 'path') path = raw || '/';
        if (key.toLowerCase() === 'max-age' && Number(raw) <= 0) expired = true;
        if (key.toLowerCase() === 'expires' && Date.parse(raw) <= Date.now()) expired = true;
      }
      const key = `${name}|${path}`;
      if (expired) this.cookies.delete(key);
      else this.cookies.set(key, { name, value, path });
    }
  }

  header(url: string): string {
    const { pathname } = new URL(url);
    return [...this.cookies.values()]
      .filter((c) => pathname === c.path || pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`))
      .sort((a, b) => b.path.length - a.path.length)
      .map((c) => `${c.name}=${c.value}`)
      .join('; ');
  }
}

export interface HttpFlowOptions {
  email: string;
  password: string;
  /** Scopes to leave ticked (required ones always stay); default: all. */
  scopes?: readonly string[];
  deny?: boolean;
  /** Reuse to keep the sign-in session between flows. */
  jar?: CookieJar;
}

function decodeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

function formAction(html: string): string | undefined {
  const match = /<form method="post" action="([^"]+)"/.exec(html);
  return match?.[1] ? decodeHtml(match[1]) : undefined;
}

function scopeInputs(html: string): { value: string; required: boolean }[] {
  return [...html.matchAll(/<input type="(checkbox|hidden)"[^>]*name="scope" value="([^"]+)"/g)].map((m) => ({
    value: decodeHtml(m[2] ?? ''),
    required: m[1] === 'hidden',
  }));
}

/**
 * Follows the authorization request through sign-in and consent and returns the redirect to the
 * request's `redirect_uri` (never fetched). Throws with the page's alert text when a step fails.
 */
export async function authorizeOverHttp(authorizeUrl: string, options: HttpFlowOptions): Promise<string> {
  const jar = options.jar ?? new CookieJar();
  const redirectUri = new URL(authorizeUrl).searchParams.get('redirect_uri') ?? '';
  let url = authorizeUrl;
  let body: URLSearchParams | undefined;
  for (let hop = 0; hop < 12; hop++) {
    const response = await fetch(url, {
      method: body ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: jar.header(url), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
      ...(body ? { body } : {}),
      signal: AbortSignal.timeout(10_000),
    });
    jar.store(response);
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      const next = URL.canParse(location) ? location : new URL(location, url).href;
      if (redirectUri && next.startsWith(redirectUri)) return next;
      url = next;
      body = undefined;
      continue;
    }
    const html = await response.text();
    const alert = /role="alert"[^>]*>([^<]*)</.exec(html)?.[1];
    const action = formAction(html);
    if (!action || (alert && !action.endsWith('/login')) || (alert && body)) {
      throw new Error(`authorization stopped (${response.status}): ${decodeHtml(alert ?? html.slice(0, 200))}`);
    }
    const target = new URL(action, url).href;
    if (action.endsWith('/login')) {
      body = new URLSearchParams({ email: options.email, password: options.password });
    } else {
      body = new URLSearchParams({ decision: options.deny ? 'deny' : 'allow' });
      for (const input of scopeInputs(html)) {
        if (input.required || !options.scopes || options.scopes.includes(input.value)) body.append('scope', input.value);
      }
    }
    url = target;
  }
  throw new Error('authorization did not finish within 12 requests');
}
