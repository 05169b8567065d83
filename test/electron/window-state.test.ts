// window-state.ts: parsing (corrupt or out-of-range → null), fitting to display work areas, and the debounced store over a real file.
import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createWindowStateStore,
  DEFAULT_SIZE,
  fitToDisplays,
  parseWindowState,
  serializeWindowState,
  type Rect,
  type WindowState,
} from '../../electron/window-state';

const PRIMARY: Rect = { x: 0, y: 0, width: 1920, height: 1040 };
const RIGHT: Rect = { x: 1920, y: 0, width: 2560, height: 1400 };
const state = (x: number, y: number, width: number, height: number, maximized = false): WindowState => ({ bounds: { x, y, width, height }, maximized });

describe('parseWindowState', () => {
  it('round-trips a valid state', () => {
    const s = state(-200, 40, 1200, 800, true);
    expect(parseWindowState(serializeWindowState(s))).toEqual(s);
  });

  it.each([
    ['empty file', ''],
    ['truncated JSON', '{"x": 1, "y":'],
    ['not an object', '[1,2,3]'],
    ['a string coordinate', '{"x":"1","y":0,"width":1000,"height":700,"maximized":false}'],
    ['a fractional size', '{"x":0,"y":0,"width":1000.5,"height":700,"maximized":false}'],
    ['smaller than the minimum size', '{"x":0,"y":0,"width":100,"height":700,"maximized":false}'],
    ['an absurd coordinate', '{"x":1e9,"y":0,"width":1000,"height":700,"maximized":false}'],
    ['NaN smuggled as null', '{"x":null,"y":0,"width":1000,"height":700,"maximized":false}'],
    ['missing maximized', '{"x":0,"y":0,"width":1000,"height":700}'],
    ['an unknown key', '{"x":0,"y":0,"width":1000,"height":700,"maximized":false,"fullscreen":true}'],
  ])('rejects %s', (_name, text) => {
    expect(parseWindowState(text)).toBeNull();
  });

  it('never throws and never returns an invalid state, whatever the bytes', () => {
    const stateLike = fc.record({ x: fc.anything(), y: fc.integer(), width: fc.anything(), height: fc.double(), maximized: fc.anything() }).map((o) => JSON.stringify(o));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), stateLike), (text) => {
        const parsed = parseWindowState(text);
        return parsed === null || (Number.isInteger(parsed.bounds.width) && parsed.bounds.width >= 900 && typeof parsed.maximized === 'boolean');
      }),
    );
  });
});

describe('fitToDisplays', () => {
  it('centres the default size on the primary display when nothing is saved', () => {
    expect(fitToDisplays(null, [PRIMARY, RIGHT])).toEqual(state(320, 110, DEFAULT_SIZE.width, DEFAULT_SIZE.height));
  });

  it('keeps a window that is fully visible where it was', () => {
    expect(fitToDisplays(state(100, 50, 1000, 700, true), [PRIMARY])).toEqual(state(100, 50, 1000, 700, true));
  });

  it('keeps a window on a secondary display', () => {
    expect(fitToDisplays(state(2200, 100, 1400, 900), [PRIMARY, RIGHT])).toEqual(state(2200, 100, 1400, 900));
  });

  it('pulls a window that hangs over the edge back inside the work area', () => {
    expect(fitToDisplays(state(1500, -30, 1000, 700), [PRIMARY])).toEqual(state(920, 0, 1000, 700));
  });

  it('shrinks a window larger than the display it is on', () => {
    expect(fitToDisplays(state(0, 0, 3000, 2000), [PRIMARY])).toEqual(state(0, 0, 1920, 1040));
  });

  it('uses the display it overlaps most', () => {
    // 300 px on the primary, 700 px on the right-hand display.
    expect(fitToDisplays(state(1620, 100, 1000, 700), [PRIMARY, RIGHT]).bounds).toEqual({ x: 1920, y: 100, width: 1000, height: 700 });
  });

  it('falls back to the default for a window on a display that is gone (keeping maximized)', () => {
    expect(fitToDisplays(state(2200, 100, 1400, 900, true), [PRIMARY])).toEqual(state(320, 110, 1280, 820, true));
  });

  it('treats a sliver of overlap as off-screen', () => {
    expect(fitToDisplays(state(1900, 100, 1000, 700), [PRIMARY]).bounds).toEqual({ x: 320, y: 110, width: 1280, height: 820 });
  });

  it('shrinks the default on a small display', () => {
    expect(fitToDisplays(null, [{ x: 0, y: 0, width: 1024, height: 700 }])).toEqual(state(0, 0, 1024, 700));
  });

  it('always returns a window fully inside one of the work areas', () => {
    const rect = fc.record({ x: fc.integer({ min: -5000, max: 5000 }), y: fc.integer({ min: -5000, max: 5000 }), width: fc.integer({ min: 900, max: 6000 }), height: fc.integer({ min: 600, max: 4000 }) });
    const area = fc.record({ x: fc.integer({ min: -4000, max: 4000 }), y: fc.integer({ min: -4000, max: 4000 }), width: fc.integer({ min: 800, max: 4000 }), height: fc.integer({ min: 600, max: 3000 }) });
    fc.assert(
      fc.property(fc.option(rect, { nil: null }), fc.array(area, { minLength: 1, maxLength: 4 }), fc.boolean(), (saved, areas, maximized) => {
        const { bounds } = fitToDisplays(saved ? { bounds: saved, maximized } : null, areas);
        return areas.some((a) => bounds.x >= a.x && bounds.y >= a.y && bounds.x + bounds.width <= a.x + a.width && bounds.y + bounds.height <= a.y + a.height);
      }),
    );
  });
});

class FakeWindow extends EventEmitter {
  bounds: Rect = { x: 10, y: 10, width: 1000, height: 700 };
  maximized = false;
  minimized = false;
  getNormalBounds = () => ({ ...this.bounds });
  isMaximized = () => this.maximized;
  isMinimized = () => this.minimized;
}

describe('createWindowStateStore', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'pc-window-state-'));
    file = join(dir, 'nested', 'window-state.json');
  });
  afterEach(() => {
    vi.useRealTimers();
    rmSync(dir, { recursive: true, force: true });
  });
  const saved = () => JSON.parse(readFileSync(file, 'utf8')) as unknown;

  it('loads nothing from a missing or corrupt file, without throwing', () => {
    const store = createWindowStateStore({ file });
    expect(store.load()).toBeNull();
    mkdirSync(join(dir, 'nested'));
    writeFileSync(file, '\u0000\u0001garbage');
    expect(store.load()).toBeNull();
  });

  it('debounces saves on resize and move, writing only the last bounds', () => {
    vi.useFakeTimers();
    const store = createWindowStateStore({ file, debounceMs: 400 });
    const win = new FakeWindow();
    store.track(win);
    win.emit('resize');
    win.bounds = { x: 50, y: 60, width: 1100, height: 760 };
    win.emit('move');
    vi.advanceTimersByTime(399);
    expect(existsSync(file)).toBe(false);
    vi.advanceTimersByTime(1);
    expect(saved()).toEqual({ x: 50, y: 60, width: 1100, height: 760, maximized: false });
    expect(store.load()).toEqual(state(50, 60, 1100, 760));
  });

  it('flushes at once on close', () => {
    vi.useFakeTimers();
    const store = createWindowStateStore({ file, debounceMs: 10_000 });
    const win = new FakeWindow();
    store.track(win);
    win.maximized = true;
    win.emit('maximize');
    win.emit('close');
    expect(saved()).toEqual({ x: 10, y: 10, width: 1000, height: 700, maximized: true });
  });

  it('keeps the maximized flag while minimized', () => {
    const store = createWindowStateStore({ file });
    const win = new FakeWindow();
    store.track(win);
    win.maximized = true;
    win.emit('maximize');
    win.minimized = true;
    win.maximized = false; // some platforms report a minimized window as not maximized
    win.emit('close');
    expect(saved()).toMatchObject({ maximized: true });
  });

  it('logs and carries on when the file cannot be written', () => {
    const lines: string[] = [];
    writeFileSync(join(dir, 'nested'), 'a file where the directory should be');
    const store = createWindowStateStore({ file, log: (l) => lines.push(l) });
    const win = new FakeWindow();
    store.track(win);
    expect(() => win.emit('close')).not.toThrow();
    expect(lines).toEqual([expect.stringMatching(/^window-state: could not save \((EEXIST|ENOTDIR)\)$/)]);
  });
});
