// RFC 7662 introspection with the sandbox's tooling client: is this (refresh) token still active on the server?
import type { Sandbox } from '../../sandbox/start';

export async function introspect(sandbox: Pick<Sandbox, 'issuer' | 'tooling'>, token: string): Promise<boolean> {
  const res = await fetch(new URL('oauth2/introspect', sandbox.issuer), {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${sandbox.tooling.client_id}:${sandbox.tooling.client_secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  if (!res.ok) throw new Error(`introspection failed with HTTP ${res.status}`);
  return ((await res.json()) as { active: boolean }).active;
}
