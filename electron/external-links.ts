// The allow-list of links the app may hand to the system browser (never navigated to inside the window). Pure: no Electron.

const EXTERNAL_ALLOW = [/^https:\/\/([a-z0-9-]+\.)*paxos\.com(\/|$)/i, /^https:\/\/github\.com\/partner-console(\/|$)/i];

export function isAllowedExternal(url: string): boolean {
  return EXTERNAL_ALLOW.some((re) => re.test(url));
}
