// RFC 7662 introspection with the sandbox's tooling client: is this (refresh) token still active on the server?
import type { Sandbox } from '../../sandbox/start';
import { discover } from './discovery';

export async function introspect(sandbox: Pick<Sandbox, 'issuer' | 'tooling'>, token: string): Promise<boolean> {
  const endpoint = (await discover(sandbox.issuer)).introspection_endpoint ?? new URL('oauth2/introspect', `${sandbox.issuer.replace(/\/$/, '')}/`).href;
  const res = await fetch(endpoint, {
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
