// Deep-link fuzz while a sign-in waits: hand-written and generated hostile links are all dropped, nothing is opened, logs hold only reason codes.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../electron/core/app-core';
import { REDIRECT_DROP_REASONS } from '../../electron/core/auth/redirect';
import { createMemorySecretStore } from '../../electron/core/auth/secret-store';
import { builtInEnvironments, CUSTOM_SCHEME_REDIRECT } from '../../electron/core/config';
import type { AuthState } from '../../shared/domain';
import { startOAuthStub, type OAuthStub } from '../electron/oauth-stub';

/** Generated links per property; FUZZ_RUNS raises it for the long form. */
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 400);
const MARK = 'ATTACKER';
const OTHER_ISSUERS = ['https://oauth.paxos.com/', 'https://oauth.sandbox.paxos.com/', 'https://oauth.paxos.com', 'http://127.0.0.1:1'];

let stub: OAuthStub;
let dir: string;
let core: Core;
const opened: string[] = [];
const logs: string[] = [];
let pending: Promise<unknown>;
let state = '';
let startedAt = '';
let tried = 0;
let checkedLogLines = 0;

const authState = async (): Promise<AuthState> => {
  const r = await core.handlers['auth:getState']({});
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
};

beforeAll(async () => {
  stub = await startOAuthStub();
  dir = await mkdtemp(join(tmpdir(), 'pc-deeplink-fuzz-'));
  core = createCore({
    environments: { environments: builtInEnvironments({ issuer: stub.issuer, api: `${stub.issuer}/v2` }) },
    secretStore: createMemorySecretStore(),
    dataDir: dir,
    openExternal: async (url) => void opened.push(url),
    log: (line) => logs.push(line),
  });
  pending = core.handlers['auth:signIn']({ environment: 'sandbox-local' });
  for (let i = 0; i < 500 && opened.length === 0; i++) await new Promise((r) => setTimeout(r, 10));
  state = new URL(opened[0]!).searchParams.get('state')!;
  const s = await authState();
  if (s.status !== 'signingIn') throw new Error('no attempt is pending');
  startedAt = s.startedAt;
});
afterAll(async () => {
  await core.handlers['auth:cancelSignIn']({});
  await pending;
  await core.close();
  await stub.close();
  await rm(dir, { recursive: true, force: true });
  process.stdout.write(`deep-link fuzz: ${tried} hostile links dropped, 1 valid link accepted once, ${opened.length} URL opened (the authorize URL), ${checkedLogLines} log lines, all fixed reason codes\n`);
});

/** Every hostile link must be dropped and leave the attempt exactly as it was. */
async function expectDropped(link: string): Promise<void> {
  tried += 1;
  expect(core.handleDeepLink(link), JSON.stringify(link.slice(0, 200))).toBe(false);
}

const V = CUSTOM_SCHEME_REDIRECT; // com.partnerconsole.desktop:/oauth2/callback

describe('deep links while a sign-in waits', () => {
  it('drops hand-written hostile links: wrong scheme, host or path; duplicated, encoded and missing parameters; another issuer; huge; control characters', async () => {
    const s = state;
    const code = `${MARK}-code`;
    const links = [
      // wrong scheme / host / path
      `com.partnerconsole.evil:/oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop.evil:/oauth2/callback?code=${code}&state=${s}`,
      `https://attacker.example/oauth2/callback?code=${code}&state=${s}`,
      `http://127.0.0.1:1/oauth2/callback?code=${code}&state=${s}`,
      `file:///oauth2/callback?code=${code}&state=${s}`,
      `javascript:/oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop://attacker.example/oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop://${MARK}@attacker.example/oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:///oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:oauth2/callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:/oauth2/callback/?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:/OAuth2/Callback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:/oauth2/%63allback?code=${code}&state=${s}`,
      `com.partnerconsole.desktop:/oauth2/other?code=${code}&state=${s}`,
      // duplicated and encoded parameters
      `${V}?code=${code}&state=${s}&state=${s}`,
      `${V}?code=${code}&code=${code}2&state=${s}`,
      `${V}?code=${code}&state=${s}&%73tate=${s}`,
      `${V}?code=${code}&state%00=${s}`,
      `${V}?code=${code}&state=${s}%00`,
      `${V}?code=${code}&state=${s}%0A${MARK}`,
      `${V}?code=${code}&state%3D${s}`,
      `${V}?code=${code}&state=%25${s}`,
      `${V}?code=${code}&STATE=${s}`,
      `${V}?code=${code}&state=${s}&iss=a&iss=a`,
      `${V}?code=${code}&state=${s}&x%0Aauth%3A%20signed%20in=1&x%0Aauth%3A%20signed%20in=1`,
      // missing or wrong parts
      `${V}?code=${code}`,
      `${V}?state=${s}`,
      `${V}?code=${code}&state=`,
      `${V}?code=${code}&state=${s.slice(0, -1)}`,
      `${V}?code=${code}&state=${s}#${MARK}`,
      `${V}#code=${code}&state=${s}`,
      // another environment's issuer
      ...OTHER_ISSUERS.map((iss) => `${V}?code=${code}&state=${s}&iss=${encodeURIComponent(iss)}`),
      // huge
      `${V}?code=${code}&state=${s}&pad=${'A'.repeat(9000)}`,
      `${V}?${'x=1&'.repeat(3000)}code=${code}&state=${s}`,
      // control characters and whitespace, raw
      `${V}?code=${code}&sta\nte=${s}`,
      `${V}?code=${code}&state=${s}\r\n${MARK}: forged`,
      `\t${V}?code=${code}&state=${s}`,
      `${V}?code=${code}&state=${s} `,
      ` ${V}?code=${code}&state=${s}`,
      `${V}?code=${code}\u0000&state=${s}`,
      `${V}?code=${code}&state=${s}\u007f`,
      `com.partnerconsole.desk\ttop:/oauth2/callback?code=${code}&state=${s}`,
      `${V}?code=${code}&state=${s}\u202e${MARK}`,
      // not links at all
      '',
      MARK,
      `${MARK}:${MARK}`,
    ];
    for (const link of links) await expectDropped(link);
    expect(await authState()).toEqual({ status: 'signingIn', environment: 'sandbox-local', startedAt, redirect: 'custom-scheme' });
  });

  it('drops generated hostile links (every one carries at least one defect)', async () => {
    const s = state;
    const noise = fc.array(fc.tuple(fc.string({ maxLength: 12 }).map((k) => `x${encodeURIComponent(k)}`), fc.string({ maxLength: 30 }).map(encodeURIComponent)), { maxLength: 4 });
    const wrongPrefix = fc.constantFrom(
      'com.partnerconsole.desktop:/oauth2/callbacks',
      'com.partnerconsole.desktop:/oauth2/',
      'com.partnerconsole.desktop:/oauth2/CALLBACK',
      'com.partnerconsole.desktop://a/oauth2/callback',
      'com.partnerconsole.desktop:oauth2/callback',
      'com.partnerconsole.desktop2:/oauth2/callback',
      'com.partnerconsole:/oauth2/callback',
      'https://attacker.example/oauth2/callback',
      'http://127.0.0.1:9/oauth2/callback',
      'app://partner-console/oauth2/callback',
    );
    type Parts = { prefix: string; params: Array<[string, string]>; fragment: string; raw: { at: number; char: string } | null };
    const wrongPrefixes: fc.Arbitrary<string> = wrongPrefix;
    const defect: fc.Arbitrary<(p: Parts) => Parts> = fc.oneof(
      wrongPrefixes.map((prefix) => (p: Parts): Parts => ({ ...p, prefix })),
      fc.string({ minLength: 1, maxLength: 40 }).filter((x) => x !== s).map((x) => (p: Parts): Parts => ({ ...p, params: p.params.map(([k, v]): [string, string] => (k === 'state' ? [k, encodeURIComponent(x)] : [k, v])) })),
      fc.constant((p: Parts): Parts => ({ ...p, params: p.params.filter(([k]) => k !== 'state') })),
      fc.constant((p: Parts): Parts => ({ ...p, params: p.params.filter(([k]) => k !== 'code') })),
      // two more copies, so the key is repeated even if another defect removed it first
      fc.constantFrom('state', 'code').map((key) => (p: Parts): Parts => ({ ...p, params: [...p.params, [key, s], [key, s]] })),
      fc.constantFrom('%00', '%0A', '%0D', '%20', '%09', '%E2%80%AE').map((enc) => (p: Parts): Parts => ({ ...p, params: p.params.map(([k, v]): [string, string] => (k === 'state' ? [k, `${v}${enc}`] : [k, v])) })),
      fc.constantFrom(...OTHER_ISSUERS).map((iss) => (p: Parts): Parts => ({ ...p, params: [...p.params, ['iss', encodeURIComponent(iss)]] })),
      fc.string({ minLength: 1, maxLength: 20 }).map((f) => (p: Parts): Parts => ({ ...p, fragment: `#${MARK}${encodeURIComponent(f)}` })),
      fc.constant((p: Parts): Parts => ({ ...p, params: [...p.params, ['pad', 'B'.repeat(8200)]] })),
      fc.tuple(fc.nat(), fc.constantFrom('\n', '\r', '\t', '\u0000', ' ', '\u007f', '\u001b')).map(([at, char]) => (p: Parts): Parts => ({ ...p, raw: { at, char } })),
    );
    const link = fc.tuple(noise, fc.array(defect, { minLength: 1, maxLength: 3 }), fc.boolean()).map(([extra, defects, codeFirst]) => {
      const base: Parts = { prefix: V, params: codeFirst ? [['code', `${MARK}-gen`], ['state', s], ...extra] : [...extra, ['state', s], ['code', `${MARK}-gen`]], fragment: '', raw: null };
      const parts = defects.reduce((p, d) => d(p), base);
      let text = `${parts.prefix}?${parts.params.map(([k, v]) => `${k}=${v}`).join('&')}${parts.fragment}`;
      if (parts.raw) {
        const at = 1 + (parts.raw.at % (text.length - 1));
        text = `${text.slice(0, at)}${parts.raw.char}${text.slice(at)}`;
      }
      return text;
    });
    await fc.assert(
      fc.asyncProperty(link, async (l) => {
        await expectDropped(l);
      }),
      { numRuns: RUNS },
    );
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'binary', maxLength: 300 }), async (junk) => {
        fc.pre(!junk.includes(s));
        await expectDropped(junk);
      }),
      { numRuns: RUNS },
    );
    expect(await authState()).toEqual({ status: 'signingIn', environment: 'sandbox-local', startedAt, redirect: 'custom-scheme' });
  });

  it('nothing was opened, no code was exchanged, and every log line is a fixed reason code', () => {
    expect(opened).toHaveLength(1);
    expect(stub.codes).toEqual([]);
    const pattern = new RegExp(`^auth: dropped a redirect link \\((${REDIRECT_DROP_REASONS.join('|')})\\)$`);
    expect(logs.filter((l) => !pattern.test(l))).toEqual([]);
    expect(logs.join('\n')).not.toContain(MARK);
    expect(logs.length).toBe(tried);
    checkedLogLines = logs.length;
  });

  it('accepts the one valid link, once', async () => {
    const valid = `${V}?code=the-valid-code&state=${state}`;
    expect(core.handleDeepLink(valid)).toBe(true);
    expect(core.handleDeepLink(valid)).toBe(false); // taken: a replay is dropped
    const result = (await pending) as { ok: boolean; error?: { code: string } };
    expect(stub.codes).toEqual(['the-valid-code']); // the stub answers invalid_grant: the attempt ends there
    expect(result).toMatchObject({ ok: false, error: { code: 'sign_in_failed' } });
    pending = Promise.resolve();
  });
});
