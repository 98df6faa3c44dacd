import type { FileRef, HostApi } from '../../../shared/host/contract.js';
import type { HostPlatform, MenuCommand, UploadProgress } from './bridge.js';
import { createElectronPlatform } from './electron.js';
import { createWebPlatform } from './web.js';

/**
 * The one renderer module that reads the host global. Everything else imports `host` (the typed contract),
 * `fileToRef` and `hostKind` from here. Inside Electron the preload has put `window.orchardHost` in place
 * before any script runs; in a browser tab it is absent and the HTTP client is used.
 */

const bridge = typeof window !== 'undefined' ? window.orchardHost : undefined;
const platform: HostPlatform = bridge !== undefined ? createElectronPlatform(bridge) : createWebPlatform();

export const host: HostApi = platform.host;
export const hostKind: HostPlatform['kind'] = platform.kind;

/** A File the user picked or dropped, as the `file` argument of `datasets.import`. */
export function fileToRef(file: File, onProgress?: UploadProgress, signal?: AbortSignal): Promise<FileRef> {
  return platform.fileToRef(file, onProgress, signal);
}

/** Commands from the desktop app's menu (File › New Project, File › Import Data…); never fires in a browser. */
export function onMenuCommand(listener: (command: MenuCommand) => void): () => void {
  return platform.onMenuCommand(listener);
}

export type { HostPlatform, MenuCommand, UploadProgress } from './bridge.js';
