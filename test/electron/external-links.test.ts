// external-links.ts: only https links to Paxos and the project's GitHub pass; look-alike hosts and other schemes do not.
import { describe, expect, it } from 'vitest';
import { isAllowedExternal } from '../../electron/external-links';

describe('isAllowedExternal', () => {
  it.each(['https://docs.paxos.com/', 'https://paxos.com', 'https://dashboard.sandbox.paxos.com/admin?x=1', 'https://github.com/partner-console/partner-console/issues'])(
    'allows %s',
    (url) => expect(isAllowedExternal(url)).toBe(true),
  );

  it.each([
    'http://docs.paxos.com/',
    'https://paxos.com.evil.example/',
    'https://evilpaxos.com/',
    'https://paxos.com@evil.example/',
    'https://evil.example/https://paxos.com/',
    'https://github.com/partner-console-evil/x',
    'https://github.com/someone-else/partner-console',
    'javascript:alert(1)//https://paxos.com/',
    'file:///etc/passwd',
    'com.partnerconsole.desktop:/oauth2/callback?code=x',
  ])('refuses %s', (url) => expect(isAllowedExternal(url)).toBe(false));
});
