import { parsePort } from './args.js';
import type { Command } from './command.js';

export const webCommand: Command = {
  words: ['web'],
  operands: [],
  options: ['port', 'no-open'],
  summary: 'Run Orchard in your browser',
  help: [
    'Serves Orchard on 127.0.0.1 and opens it in your browser; prints the link (it carries a sign-in token).',
    '--port N picks the port (default: any free one); --no-open only prints the link. Ctrl+C stops it.',
  ],
  run: async ({ options, workspaceRoot, io }) => {
    const portText = options.get('port');
    const port = typeof portText === 'string' ? parsePort(portText) : undefined;
    // Loaded only for this command: the HTTP server and renderer files are not needed by the others.
    const { startWebHost } = await import('../web/server.js');
    const host = await startWebHost({ workspaceRoot, open: !options.has('no-open'), ...(port !== undefined ? { port } : {}) });
    io.out(host.url);
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await host.close();
    return 0;
  },
};
