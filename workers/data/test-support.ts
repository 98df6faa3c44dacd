import type { DataProgress, DataRequests, DataRequestType } from '../../shared/protocol/data-worker.js';
import type { RequestOptions } from '../../shared/protocol/worker-client.js';
import { dispatchDataRequest } from './core/server.js';
import { startNodeDataWorker } from './node-client.js';
import { createNodeDataEngine } from './platform.node.js';

/** One way to send the data worker a request: straight into the engine, or through the worker thread. */
export type Request = <T extends DataRequestType>(
  type: T,
  args: DataRequests[T]['args'],
  opts?: RequestOptions<DataProgress>,
) => Promise<DataRequests[T]['result']>;

export interface EngineTarget {
  name: string;
  start(): Promise<{ request: Request; stop(): Promise<void> }>;
}

/** Behaviour suites run once against each (STYLE 9): the in-process engine and the worker thread client. */
export const ENGINE_TARGETS: EngineTarget[] = [
  {
    name: 'the in-process engine',
    async start() {
      const engine = await createNodeDataEngine();
      const request: Request = (type, args, opts) => dispatchDataRequest(engine, type, args, opts?.onProgress);
      return { request, stop: async () => engine.dispose() };
    },
  },
  {
    name: 'the worker thread client',
    async start() {
      const client = await startNodeDataWorker();
      return { request: (type, args, opts) => client.request(type, args, opts), stop: () => client.terminate() };
    },
  },
];
