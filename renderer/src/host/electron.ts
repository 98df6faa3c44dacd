import type { HostApi } from '../../../shared/host/contract.js';
import { deserializeError, HostError } from '../../../shared/host/errors.js';
import type { HostPlatform, MenuCommand, OrchardBridge } from './bridge.js';

/** The renderer's host inside Electron: the preload's `window.orchardHost`, with errors rebuilt as HostErrors. */
export function createElectronPlatform(bridge: OrchardBridge): HostPlatform {
  const host: HostApi = {
    async call(channel, args) {
      const reply = await bridge.call(channel, args);
      if (reply.ok) return reply.result as never;
      throw deserializeError(reply.error);
    },
    on(event, listener) {
      return bridge.on(event, listener as (payload: unknown) => void);
    },
  };
  return {
    kind: 'electron',
    host,
    async fileToRef(file, onProgress) {
      const path = bridge.pathForFile(file);
      if (path === '') {
        throw new HostError(
          'not-supported',
          `"${file.name}" is not a file on this computer (it may have come from another app). Save it to disk, then import it.`,
        );
      }
      onProgress?.(1);
      return { kind: 'path', path };
    },
    onMenuCommand(listener) {
      return bridge.on('app.menu', (payload) => listener(payload as MenuCommand));
    },
  };
}
