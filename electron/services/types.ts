import type { Readable } from 'node:stream';
import type { EmitEvent, HandlerMap } from '../../shared/host/registry.js';
import type { WorkspaceInfo } from '../../shared/host/contract.js';
import type { DatasetInspector } from '../../shared/protocol/data-worker.js';

/** What the import needs from the data engine (declared with the data worker's protocol). */
export type { DatasetInspector };

export interface HostServicesOptions {
  /** The workspace folder (created if missing). */
  workspaceRoot: string;
  host: WorkspaceInfo['host'];
  inspector: DatasetInspector;
  /** Pushes an event to every listener of this host. */
  emit: EmitEvent;
  /** Whether `{kind: 'path'}` file refs are accepted (Electron and CLI yes; browser mode no). */
  allowPathRefs: boolean;
  /** Opens a URL in the system browser; hosts without one pass a function that returns false. */
  openExternal: (url: string) => Promise<boolean>;
  /** Folder holding `sample/` (defaults to the repo's resources/). */
  resourcesDir?: string;
  /** Where non-fatal problems go (a damaged project folder skipped in a list); defaults to console.warn. */
  warn?: (message: string) => void;
}

export interface HostServices {
  handlers: HandlerMap;
  /** Browser mode: streams an uploaded body into the staging area and returns its id for a `{kind:'upload'}` ref. */
  stageUpload(body: Readable, originalName: string, expectedBytes?: number): Promise<{ uploadId: string }>;
  close(): Promise<void>;
}
