// Remembers the main window's bounds and maximized flag in userData: zod-validated on load, clamped to a visible work area, saved debounced.
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';

export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface WindowState {
  readonly bounds: Rect;
  readonly maximized: boolean;
}

export const DEFAULT_SIZE = { width: 1280, height: 820 } as const;
export const MIN_SIZE = { width: 900, height: 600 } as const;
/** Coordinates beyond this are not a real desktop (or a hand-edited file). */
const COORD_LIMIT = 100_000;
/** A saved window must overlap a work area by at least this much in each direction to be reused where it was. */
const MIN_VISIBLE = 64;
export const SAVE_DEBOUNCE_MS = 400;

const coord = z.number().int().min(-COORD_LIMIT).max(COORD_LIMIT);
const StoredStateSchema = z
  .object({
    x: coord,
    y: coord,
    width: z.number().int().min(MIN_SIZE.width).max(COORD_LIMIT),
    height: z.number().int().min(MIN_SIZE.height).max(COORD_LIMIT),
    maximized: z.boolean(),
  })
  .strict();

/** The saved state, or `null` for anything that is not exactly a valid one (corrupt JSON, wrong types, absurd sizes). */
export function parseWindowState(text: string): WindowState | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  const parsed = StoredStateSchema.safeParse(json);
  if (!parsed.success) return null;
  const { maximized, ...bounds } = parsed.data;
  return { bounds, maximized };
}

export function serializeWindowState(state: WindowState): string {
  return JSON.stringify({ ...state.bounds, maximized: state.maximized });
}

function overlap(a: Rect, b: Rect): { width: number; height: number } {
  return {
    width: Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x),
    height: Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y),
  };
}

const clamp = (value: number, min: number, max: number) => Math.max(min, Math.min(value, max));

/** The default window: DEFAULT_SIZE (shrunk to fit) centred in `workArea`. */
export function defaultWindowState(workArea: Rect | undefined): WindowState {
  const area = workArea ?? { x: 0, y: 0, ...DEFAULT_SIZE };
  const width = Math.min(DEFAULT_SIZE.width, area.width);
  const height = Math.min(DEFAULT_SIZE.height, area.height);
  const x = area.x + Math.round((area.width - width) / 2);
  const y = area.y + Math.round((area.height - height) / 2);
  return { bounds: { x, y, width, height }, maximized: false };
}

/**
 * Places `saved` on the display work area it overlaps most, shrunk and moved to lie fully inside it.
 * With nothing saved, or a window that would be (nearly) off-screen, the default on `workAreas[0]` (the primary display).
 */
export function fitToDisplays(saved: WindowState | null, workAreas: readonly Rect[]): WindowState {
  const primary = workAreas[0];
  if (!saved || !primary) return defaultWindowState(primary);
  let best: { area: Rect; visible: number } | undefined;
  for (const area of workAreas) {
    const o = overlap(saved.bounds, area);
    if (o.width < MIN_VISIBLE || o.height < MIN_VISIBLE) continue;
    const visible = o.width * o.height;
    if (!best || visible > best.visible) best = { area, visible };
  }
  if (!best) return { ...defaultWindowState(primary), maximized: saved.maximized };
  const { area } = best;
  const width = Math.min(saved.bounds.width, area.width);
  const height = Math.min(saved.bounds.height, area.height);
  return {
    bounds: {
      x: clamp(saved.bounds.x, area.x, area.x + area.width - width),
      y: clamp(saved.bounds.y, area.y, area.y + area.height - height),
      width,
      height,
    },
    maximized: saved.maximized,
  };
}

/** The parts of a BrowserWindow the store needs (so tests can pass a fake). */
export interface TrackedWindow {
  getNormalBounds(): Rect;
  isMaximized(): boolean;
  isMinimized(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

export interface WindowStateStore {
  /** The saved state, or `null` if there is none or it is unusable. Never throws. */
  load(): WindowState | null;
  /** Saves on resize/move/maximize (debounced) and at once on close. */
  track(win: TrackedWindow): void;
  /** Writes a pending save now. */
  flush(): void;
}

export interface WindowStateStoreOptions {
  readonly file: string;
  readonly debounceMs?: number;
  readonly log?: (line: string) => void;
}

export function createWindowStateStore(options: WindowStateStoreOptions): WindowStateStore {
  const debounceMs = options.debounceMs ?? SAVE_DEBOUNCE_MS;
  const log = options.log ?? (() => undefined);
  let pending: WindowState | undefined;
  let last: WindowState | undefined;
  let timer: NodeJS.Timeout | undefined;

  function write(state: WindowState): void {
    try {
      mkdirSync(dirname(options.file), { recursive: true });
      const tmp = `${options.file}.tmp`;
      writeFileSync(tmp, serializeWindowState(state), { mode: 0o600 });
      renameSync(tmp, options.file);
    } catch (e) {
      log(`window-state: could not save (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  }

  function flush(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (pending) write(pending);
    pending = undefined;
  }

  function snapshot(win: TrackedWindow): WindowState {
    // getNormalBounds is the restored size and place whatever the state; a minimized window keeps its last maximized flag.
    const maximized = win.isMinimized() ? (last?.maximized ?? false) : win.isMaximized();
    return { bounds: win.getNormalBounds(), maximized };
  }

  return {
    load() {
      try {
        return parseWindowState(readFileSync(options.file, 'utf8'));
      } catch {
        return null;
      }
    },
    track(win) {
      const schedule = () => {
        last = pending = snapshot(win);
        if (timer) clearTimeout(timer);
        timer = setTimeout(flush, debounceMs);
        timer.unref?.();
      };
      for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) win.on(event, schedule);
      win.on('close', () => {
        last = pending = snapshot(win);
        flush();
      });
    },
    flush,
  };
}
