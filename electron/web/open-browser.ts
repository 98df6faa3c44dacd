import { spawn } from 'node:child_process';

/**
 * Opens a URL in the user's browser with the platform's own opener, detached, without a shell (so nothing in
 * the URL is interpreted). Resolves false when there is no opener or no display to show it on; never throws.
 */

export function openerCommand(
  url: string,
  platform: NodeJS.Platform,
  env: Record<string, string | undefined>,
): { command: string; args: string[] } | undefined {
  if (platform === 'darwin') return { command: 'open', args: [url] };
  if (platform === 'win32') return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
  // Without a display xdg-open may start a terminal browser that nobody sees and that never exits.
  if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return undefined;
  return { command: 'xdg-open', args: [url] };
}

export function openInBrowser(
  url: string,
  platform: NodeJS.Platform = process.platform,
  env: Record<string, string | undefined> = process.env,
): Promise<boolean> {
  const opener = openerCommand(url, platform, env);
  if (opener === undefined) return Promise.resolve(false);
  return new Promise((resolve) => {
    try {
      const child = spawn(opener.command, opener.args, { detached: true, stdio: 'ignore', windowsHide: true });
      child.once('error', () => resolve(false));
      child.once('spawn', () => {
        child.unref();
        resolve(true);
      });
    } catch {
      resolve(false);
    }
  });
}
