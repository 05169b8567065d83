// The operator's non-secret preferences (chosen environment, redirect mode): JSON in the data dir, read once, then kept in memory.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RedirectModeSchema } from '../../shared/domain';

const StoredSettingsSchema = z.object({ environment: z.string().max(40), redirect: RedirectModeSchema }).partial();
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export interface SettingsStore {
  /** The settings: from settings.json on the first call, from memory after that (the core is the file's only writer). */
  read(): Promise<StoredSettings>;
  /** Replaces the file atomically, then the copy in memory; concurrent writes land in call order. */
  write(settings: StoredSettings): Promise<void>;
  /** Merges `patch` into the settings as they are when its turn comes (so concurrent updates of different fields all land). */
  update(patch: StoredSettings): Promise<StoredSettings>;
}

export function createSettingsStore(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  let current: Promise<StoredSettings> | undefined;
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<StoredSettings> {
    try {
      const parsed = StoredSettingsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
      return parsed.success ? parsed.data : {};
    } catch {
      return {};
    }
  }

  async function persist(settings: StoredSettings): Promise<void> {
    await mkdir(dataDir, { recursive: true });
    const tmp = `${file}.tmp`;
    await writeFile(tmp, JSON.stringify(settings), { mode: 0o600 });
    await rename(tmp, file);
    current = Promise.resolve(settings);
  }

  return {
    read() {
      current ??= load();
      return current;
    },
    write(settings) {
      const done = queue.then(() => persist(settings));
      queue = done.catch(() => undefined);
      return done;
    },
    update(patch) {
      const done = queue.then(async () => {
        const next = { ...(await (current ??= load())), ...patch };
        await persist(next);
        return next;
      });
      queue = done.catch(() => undefined);
      return done;
    },
  };
}
