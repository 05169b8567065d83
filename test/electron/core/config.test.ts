// Environments: built-ins always present; a bad user file is reported naming the field and ignored.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtInEnvironments, loadEnvironments, parseEnvironmentsFile } from '../../../electron/core/config';

const builtIns = builtInEnvironments({ issuer: 'http://127.0.0.1:5000', api: 'http://127.0.0.1:5001/v2' });
const custom = { id: 'acme-staging', label: 'Acme staging', issuer: 'https://auth.acme.example', apiBase: 'https://api.acme.example/v2', clientId: 'pc-acme' };

describe('environments', () => {
  it('has the three built-ins, sandbox-local first and pointed at the running sandbox, with no client secret', () => {
    expect(builtIns.map((e) => e.id)).toEqual(['sandbox-local', 'paxos-sandbox', 'paxos-production']);
    expect(builtIns[0]).toMatchObject({ issuer: 'http://127.0.0.1:5000', apiBase: 'http://127.0.0.1:5001/v2' });
    expect(builtIns[2]).toMatchObject({ issuer: 'https://oauth.paxos.com/', apiBase: 'https://api.paxos.com/v2' });
    expect(JSON.stringify(builtIns)).not.toMatch(/secret/i);
  });

  it('adds valid custom environments', () => {
    const r = parseEnvironmentsFile(JSON.stringify({ environments: [custom] }), builtIns);
    expect(r.issue).toBeUndefined();
    expect(r.environments.at(-1)).toMatchObject({ ...custom, kind: 'custom' });
  });

  it.each([
    [{ environments: [{ ...custom, issuer: 'http://auth.acme.example' }] }, 'environments.0.issuer'],
    [{ environments: [{ ...custom, id: 'Bad Id' }] }, 'environments.0.id'],
    [{ environments: [{ ...custom, clientSecret: 'x' }] }, 'environments.0'],
    [{ environments: [custom, { ...custom, id: 'sandbox-local' }] }, 'environments.1.id'],
    [{ envs: [] }, 'environments'],
    [[custom], '(top level)'],
  ])('reports a bad file naming the field (%#) and keeps only the built-ins', (file, field) => {
    const r = parseEnvironmentsFile(JSON.stringify(file), builtIns);
    expect(r.issue).toContain(field);
    expect(r.environments).toEqual(builtIns);
  });

  it('treats a missing file as no custom environments and reports unreadable JSON', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-config-'));
    expect(await loadEnvironments(join(dir, 'none.json'))).toEqual({ environments: builtInEnvironments() });
    await writeFile(join(dir, 'bad.json'), '{ nope');
    const r = await loadEnvironments(join(dir, 'bad.json'));
    expect(r.issue).toMatch(/not valid JSON/);
  });
});
