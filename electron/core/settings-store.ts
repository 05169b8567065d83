// Persists the operator's non-secret preferences (chosen environment, redirect mode) as JSON in the data dir.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { RedirectModeSchema } from '../../shared/domain';

const StoredSettingsSchema = z.object({ environment: z.string().max(40), redirect: RedirectModeSchema }).partial();
export type StoredSettings = z.infer<typeof StoredSettingsSchema>;

export interface SettingsStore {
  read(): Promise<StoredSettings>;
  write(settings: StoredSettings): Promise<void>;
}

export function createSettingsStore(dataDir: string): SettingsStore {
  const file = join(dataDir, 'settings.json');
  return {
    async read() {
      try {
        const parsed = StoredSettingsSchema.safeParse(JSON.parse(await readFile(file, 'utf8')));
        return parsed.success ? parsed.data : {};
      } catch {
        return {};
      }
    },
    async write(settings) {
      await mkdir(dataDir, { recursive: true });
      const tmp = `${file}.tmp`;
      await writeFile(tmp, JSON.stringify(settings), { mode: 0o600 });
      await rename(tmp, file);
    },
  };
}
