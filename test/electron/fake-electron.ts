// A recording stand-in for the 'electron' module (app, BrowserWindow, ipcMain, protocol, session, shell, dialog, Menu, screen) for main-process wiring tests.
import { EventEmitter } from 'node:events';

type Handler = (event: unknown, payload: unknown) => Promise<unknown>;
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Every call the code under test made, in order: [what, ...args]. */
export const calls: Array<[string, ...unknown[]]> = [];
const record = (what: string, ...args: unknown[]) => void calls.push([what, ...args]);

function gate(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

class FakeApp extends EventEmitter {
  isPackaged = false;
  lockGranted = true;
  userData = '';
  private readyGate = gate();

  requestSingleInstanceLock(): boolean {
    record('app.requestSingleInstanceLock');
    return this.lockGranted;
  }
  quit(): void {
    record('app.quit');
  }
  exit(code?: number): void {
    record('app.exit', code);
  }
  setAsDefaultProtocolClient(...args: unknown[]): boolean {
    record('app.setAsDefaultProtocolClient', ...args);
    return true;
  }
  whenReady(): Promise<void> {
    return this.readyGate.promise;
  }
  /** What Electron does once launching finished: emit `ready` and resolve whenReady(). */
  becomeReady(): void {
    this.emit('ready');
    this.readyGate.resolve();
  }
  getPath(name: string): string {
    return name === 'userData' ? this.userData : `/nonexistent/${name}`;
  }
  getName(): string {
    return 'Partner Console';
  }
  reset(): void {
    this.removeAllListeners();
    this.isPackaged = false;
    this.lockGranted = true;
    this.userData = '';
    this.readyGate = gate();
  }
}

export class FakeWebContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  sent: Array<[string, unknown]> = [];
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
}

export class BrowserWindow extends EventEmitter {
  static instances: BrowserWindow[] = [];
  static getAllWindows(): BrowserWindow[] {
    return BrowserWindow.instances.filter((w) => !w.destroyed);
  }
  static getFocusedWindow(): BrowserWindow | null {
    return null;
  }

  readonly webContents = new FakeWebContents();
  loadedUrl: string | undefined;
  bounds: Rect;
  maximized = false;
  minimized = false;
  destroyed = false;
  focusCount = 0;
  shown = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    const o = options as Partial<Rect>;
    this.bounds = { x: o.x ?? 0, y: o.y ?? 0, width: o.width ?? 800, height: o.height ?? 600 };
    BrowserWindow.instances.push(this);
  }
  loadURL(url: string): Promise<void> {
    this.loadedUrl = url;
    return Promise.resolve();
  }
  getNormalBounds(): Rect {
    return { ...this.bounds };
  }
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  focus(): void {
    this.focusCount++;
  }
  show(): void {
    this.shown = true;
  }
}

export const app = new FakeApp();

export const ipcMain = {
  handlers: new Map<string, Handler>(),
  registrations: [] as string[],
  handle(channel: string, fn: Handler): void {
    this.registrations.push(channel);
    this.handlers.set(channel, fn);
  },
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  },
};

export const protocol = {
  registerSchemesAsPrivileged(schemes: unknown): void {
    record('protocol.registerSchemesAsPrivileged', schemes);
  },
};

class FakeSession extends EventEmitter {
  protocolHandlers = new Map<string, (request: Request) => Promise<Response>>();
  permissionRequestHandler: ((wc: unknown, permission: string, callback: (granted: boolean) => void) => void) | undefined;
  permissionCheckHandler: ((...args: unknown[]) => boolean) | undefined;
  devicePermissionHandler: ((...args: unknown[]) => boolean) | undefined;
  readonly protocol = {
    handle: (scheme: string, fn: (request: Request) => Promise<Response>) => void this.protocolHandlers.set(scheme, fn),
  };
  setPermissionRequestHandler(fn: FakeSession['permissionRequestHandler']): void {
    this.permissionRequestHandler = fn;
  }
  setPermissionCheckHandler(fn: FakeSession['permissionCheckHandler']): void {
    this.permissionCheckHandler = fn;
  }
  setDevicePermissionHandler(fn: FakeSession['devicePermissionHandler']): void {
    this.devicePermissionHandler = fn;
  }
  reset(): void {
    this.removeAllListeners();
    this.protocolHandlers.clear();
    this.permissionRequestHandler = this.permissionCheckHandler = this.devicePermissionHandler = undefined;
  }
}

export const session = { defaultSession: new FakeSession() };

export const shell = {
  opened: [] as string[],
  async openExternal(url: string): Promise<void> {
    this.opened.push(url);
  },
};

export const dialog = {
  async showSaveDialog(): Promise<{ canceled: boolean; filePath?: string }> {
    return { canceled: true };
  },
};

export const Menu = {
  applied: [] as Array<{ template: unknown[] }>,
  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    return { template };
  },
  setApplicationMenu(menu: { template: unknown[] }): void {
    this.applied.push(menu);
  },
};

export const screen = {
  displays: [] as Array<{ id: number; workArea: Rect }>,
  primaryId: 1,
  getAllDisplays() {
    return [...this.displays];
  },
  getPrimaryDisplay() {
    return this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0];
  },
};

/** Back to a freshly started process. */
export function resetFakeElectron(): void {
  calls.length = 0;
  app.reset();
  BrowserWindow.instances = [];
  ipcMain.handlers.clear();
  ipcMain.registrations = [];
  session.defaultSession.reset();
  shell.opened = [];
  Menu.applied = [];
  screen.displays = [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }];
  screen.primaryId = 1;
}
