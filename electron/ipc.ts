import { HOST_CHANNELS, type HostEventName, type HostEvents } from '../shared/host/contract.js';
import { HostError, serializeError, type SerializedError } from '../shared/host/errors.js';
import type { EmitEvent, HandlerRegistry } from '../shared/host/registry.js';

/**
 * The Electron host's wire: every contract channel becomes one `ipcMain.handle('orchard:<channel>')`, and
 * events go to every window on `orchard:event`. Replies are envelopes rather than thrown errors, because
 * Electron flattens a rejected invoke into "Error invoking remote method…" and the HostError code is lost.
 * The preload (electron/preload.cts) speaks the other side of this and keeps its own copy of the names.
 */

export const IPC_CALL_PREFIX = 'orchard:';
export const IPC_EVENT_CHANNEL = 'orchard:event';

export const ipcChannelFor = (channel: string): string => `${IPC_CALL_PREFIX}${channel}`;

export type IpcReply = { ok: true; result: unknown } | { ok: false; error: SerializedError };

/** What travels on IPC_EVENT_CHANNEL. */
export interface IpcEventMessage<E extends string = HostEventName> {
  event: E;
  payload: E extends HostEventName ? HostEvents[E] : unknown;
}

/** The part of an `IpcMainInvokeEvent` this module reads. */
export interface InvokeEventLike {
  senderFrame: { url: string } | null;
}

/** The part of `ipcMain` this module uses, so tests pass a plain object. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => Promise<IpcReply>): void;
  removeHandler(channel: string): void;
}

export interface RegisterIpcOptions {
  /** Whether the frame URL that sent a call is the app's own page; calls from anything else are refused. */
  isTrustedSender(frameUrl: string | undefined): boolean;
  /** Told about errors that are not HostErrors (bugs), for the main-process log. */
  onUnexpectedError?(channel: string, err: unknown): void;
}

/**
 * Serves every channel of `registry` on `ipcMain`. Throws if the registry lacks a contract channel, so a
 * missing handler fails at start-up rather than on first use. Returns a function that removes the handlers.
 */
export function registerIpc(ipcMain: IpcMainLike, registry: HandlerRegistry, opts: RegisterIpcOptions): () => void {
  const missing = HOST_CHANNELS.filter((c) => !registry.has(c));
  if (missing.length > 0) throw new Error(`The host services do not handle: ${missing.join(', ')}.`);

  for (const channel of HOST_CHANNELS) {
    ipcMain.handle(ipcChannelFor(channel), async (event, args) => {
      const frameUrl = event.senderFrame?.url;
      if (!opts.isTrustedSender(frameUrl)) {
        const err = new HostError('not-supported', `Calls from ${frameUrl ?? 'a closed frame'} are not allowed.`);
        return { ok: false, error: serializeError(err) };
      }
      try {
        return { ok: true, result: await registry.dispatch(channel, args) };
      } catch (err) {
        if (!(err instanceof HostError)) opts.onUnexpectedError?.(channel, err);
        return { ok: false, error: serializeError(err) };
      }
    });
  }
  return () => {
    for (const channel of HOST_CHANNELS) ipcMain.removeHandler(ipcChannelFor(channel));
  };
}

/** The part of a `WebContents` the fan-out uses. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, message: IpcEventMessage<string>): void;
}

/**
 * An `emit` for the services that sends each event to every live window. `targets` is read on every event,
 * so windows opened later receive events too; a window closing mid-send does not stop the others.
 */
export function createEventFanout(targets: () => Iterable<EventTarget>): EmitEvent {
  return (event, payload) => {
    for (const target of targets()) {
      if (target.isDestroyed()) continue;
      try {
        target.send(IPC_EVENT_CHANNEL, { event, payload });
      } catch {
        // the window went away between the check and the send
      }
    }
  };
}
