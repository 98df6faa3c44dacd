/**
 * The sandboxed preload: exposes `window.orchardHost` = { call, on, pathForFile } and nothing else (never
 * ipcRenderer). A sandboxed preload can require nothing but 'electron', so the channel and event names are
 * copied here; electron/preload.test.ts fails if they drift from HOST_CHANNELS / HOST_EVENTS.
 *
 * `call` resolves to the main process's envelope ({ok,result} | {ok,error}) instead of throwing: an Error
 * crossing the context bridge loses its `code`, so renderer/src/host/electron.ts rebuilds it there.
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a sandboxed preload is CommonJS, and under verbatimModuleSyntax this is how a .cts imports
import electron = require('electron');

const { contextBridge, ipcRenderer, webUtils } = electron;

const CHANNELS = [
  'workspace.info',
  'projects.list',
  'projects.open',
  'projects.create',
  'projects.rename',
  'projects.delete',
  'projects.createSample',
  'datasets.import',
  'datasets.preview',
  'datasets.cancelImport',
  'datasets.remove',
  'datasets.read',
  'splits.create',
  'splits.list',
  'splits.get',
  'splits.assignment',
  'splits.delete',
  'datasets.saveQuery',
  'problem.get',
  'problem.save',
  'pipeline.get',
  'pipeline.save',
  'experiments.list',
  'experiments.save',
  'experiments.files',
  'experiments.delete',
  'app.openExternal',
] as const;

/** The contract's events (HOST_EVENTS). */
const EVENTS = ['import.progress', 'projects.changed', 'app.menu'] as const;

const CALL_PREFIX = 'orchard:';
const EVENT_CHANNEL = 'orchard:event';

/** `error` is a shared/host/errors.ts SerializedError (not imported: emitting it here would duplicate shared/). */
export type BridgeReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; code?: string; stack?: string } };

/** The shape of `window.orchardHost`; renderer/src/host/bridge.ts declares the same for the page's side. */
export interface OrchardBridge {
  call(channel: string, args: unknown): Promise<BridgeReply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

const refused = (message: string): BridgeReply => ({
  ok: false,
  error: { name: 'HostError', code: 'invalid-argument', message },
});

const bridge: OrchardBridge = {
  async call(channel, args) {
    if (typeof channel !== 'string' || !(CHANNELS as readonly string[]).includes(channel)) {
      return refused(`Unknown operation "${String(channel)}".`);
    }
    try {
      return (await ipcRenderer.invoke(CALL_PREFIX + channel, args)) as BridgeReply;
    } catch (err) {
      // Only when the main process has no handler (it failed to start) or the reply could not be cloned.
      return { ok: false, error: { name: 'Error', message: err instanceof Error ? err.message : String(err) } };
    }
  },
  on(event, listener) {
    if (!(EVENTS as readonly string[]).includes(event) || typeof listener !== 'function') {
      throw new TypeError(`Unknown host event "${String(event)}".`);
    }
    const handler = (_e: Electron.IpcRendererEvent, message: { event?: unknown; payload?: unknown }): void => {
      if (message?.event === event) listener(message.payload);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
  pathForFile(file) {
    return webUtils.getPathForFile(file);
  },
};

contextBridge.exposeInMainWorld('orchardHost', bridge);

// For electron/preload.test.ts, which compares the lists with the contract's. The page never sees these.
module.exports = { CHANNELS, EVENTS };
