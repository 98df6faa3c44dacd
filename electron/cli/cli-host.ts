import type { HostEventName, HostEvents } from '../../shared/host/contract.js';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { createHostServices } from '../services/index.js';
import type { HostServices } from '../services/types.js';
import type { Io } from './output.js';

/**
 * The CLI is a host like Electron and the browser one: it runs the same services in-process, with the data
 * engine in a Node worker thread (started on the first import only, so listing projects stays fast), and it
 * accepts file paths.
 */
export async function openCliHost(workspaceRoot: string, io: Io): Promise<HostServices> {
  const inspector = createNodeInspector();
  try {
    return await createHostServices({
      workspaceRoot,
      host: 'cli',
      inspector,
      emit: <E extends HostEventName>(event: E, payload: HostEvents[E]) => {
        if (event === 'import.progress') io.progress(payload as HostEvents['import.progress']);
      },
      allowPathRefs: true,
      openExternal: () => Promise.resolve(false),
      warn: (message) => io.err(`orchard: warning: ${message}`),
    });
  } catch (err) {
    await inspector.close().catch(() => undefined);
    throw err;
  }
}

/** Runs `task` with the CLI host open and always closes it after, so the worker ends and the process exits. */
export async function withCliHost<T>(workspaceRoot: string, io: Io, task: (host: HostServices) => Promise<T>): Promise<T> {
  const host = await openCliHost(workspaceRoot, io);
  try {
    return await task(host);
  } finally {
    await host.close();
  }
}
