import type { FileRef, HostApi, MenuCommand } from '../../../shared/host/contract.js';

export type { MenuCommand };

/**
 * Types for the two ways the renderer reaches its host. `OrchardBridge` is what the Electron preload puts on
 * `window.orchardHost` (electron/preload.cts declares the same shape; electron/preload.test.ts drives the
 * real preload through this type). `HostPlatform` is what electron.ts and web.ts each build, and index.ts
 * re-exports.
 */

/** `error` is a SerializedError (shared/host/errors.ts); `deserializeError` checks its code. */
export type BridgeReply =
  | { ok: true; result: unknown }
  | { ok: false; error: { name: string; message: string; code?: string; stack?: string } };

export interface OrchardBridge {
  call(channel: string, args: unknown): Promise<BridgeReply>;
  on(event: string, listener: (payload: unknown) => void): () => void;
  pathForFile(file: File): string;
}

export type UploadProgress = (fraction: number) => void;

export interface HostPlatform {
  kind: 'electron' | 'web';
  host: HostApi;
  /**
   * Turns a File the user picked or dropped into what `datasets.import` takes: its path on disk in Electron,
   * or an upload to the host's staging area in the browser (reporting progress from 0 to 1).
   */
  fileToRef(file: File, onProgress?: UploadProgress, signal?: AbortSignal): Promise<FileRef>;
  /** Menu commands (desktop only; the browser has no app menu, so there it never fires). */
  onMenuCommand(listener: (command: MenuCommand) => void): () => void;
}

declare global {
  interface Window {
    orchardHost?: OrchardBridge;
  }
}
