// Typed main→renderer event hub: the core emits contract events here; the shell forwards them to the window.
import { EventEmitter } from 'node:events';
import type { EventName, EventPayload } from '../../shared/ipc-contract';

export type CoreEventMap = { [E in EventName]: [EventPayload<E>] };

export class CoreEvents extends EventEmitter<CoreEventMap> {}
