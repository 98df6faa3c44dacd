import type { DatasetRecord, ProjectDocument } from '../schema/project.js';

/**
 * The one host contract. Every host (Electron IPC, the browser host over HTTP, the CLI in-process) serves
 * exactly these operations and pushes exactly these events; the renderer's client is typed by this map, so a
 * wrong name or argument fails to compile. Argument validators live in `validators.ts`, beside this map.
 */

export interface ProjectSummary {
  name: string;
  createdAt: string;
  updatedAt: string;
  datasetCount: number;
  sample: boolean;
}

/** Where an imported file comes from. */
export type FileRef =
  /** A file on this machine (Electron drop or dialog, CLI argument). Browser mode refuses it. */
  | { kind: 'path'; path: string }
  /** A file the browser uploaded to the host's staging area first (browser mode). */
  | { kind: 'upload'; uploadId: string; originalName: string };

export interface WorkspaceInfo {
  root: string;
  host: 'electron' | 'web' | 'cli';
  /** Shown once, on first launch with an empty workspace. */
  offerSample: boolean;
  version: string;
}

export interface HostHandlers {
  'workspace.info': { args: Record<string, never>; result: WorkspaceInfo };
  'projects.list': { args: Record<string, never>; result: ProjectSummary[] };
  'projects.open': { args: { name: string }; result: ProjectDocument };
  'projects.create': { args: { name: string }; result: ProjectDocument };
  'projects.rename': { args: { name: string; newName: string }; result: ProjectDocument };
  'projects.delete': { args: { name: string }; result: { deleted: string } };
  /** Builds the sample project from the dataset shipped in resources/. */
  'projects.createSample': { args: Record<string, never>; result: ProjectDocument };
  /** Copies a file into the project, checks it with the data engine and records its lineage. */
  'datasets.import': { args: { project: string; file: FileRef; importId: string }; result: DatasetRecord };
  'datasets.remove': { args: { project: string; datasetId: string }; result: ProjectDocument };
  /** The stored copy's bytes, for the renderer's data worker. */
  'datasets.read': { args: { project: string; datasetId: string }; result: Uint8Array };
  /** Opens an http(s) link in the system browser. */
  'app.openExternal': { args: { url: string }; result: { opened: boolean } };
}

export type HostChannel = keyof HostHandlers;
export type HostArgs<C extends HostChannel> = HostHandlers[C]['args'];
export type HostResult<C extends HostChannel> = HostHandlers[C]['result'];

export type ImportPhase = 'upload' | 'copy' | 'inspect' | 'save';

/** A command chosen in the desktop app's menu, for the renderer to carry out (never sent in browser mode). */
export type MenuCommand = { command: 'project.new' } | { command: 'data.import'; file: { kind: 'path'; path: string } };

export interface HostEvents {
  'import.progress': { importId: string; phase: ImportPhase; fraction: number };
  /** Something changed the workspace (another window, the CLI): lists should refresh. */
  'projects.changed': { project?: string };
  'app.menu': MenuCommand;
}

export type HostEventName = keyof HostEvents;

/** What the renderer holds: call an operation, listen to events. */
export interface HostApi {
  call<C extends HostChannel>(channel: C, args: HostArgs<C>): Promise<HostResult<C>>;
  on<E extends HostEventName>(event: E, listener: (payload: HostEvents[E]) => void): () => void;
}

/** The channel names, for hosts that must allowlist them (the preload, the HTTP router). */
export const HOST_CHANNELS = [
  'workspace.info',
  'projects.list',
  'projects.open',
  'projects.create',
  'projects.rename',
  'projects.delete',
  'projects.createSample',
  'datasets.import',
  'datasets.remove',
  'datasets.read',
  'app.openExternal',
] as const satisfies readonly HostChannel[];

export const HOST_EVENTS = ['import.progress', 'projects.changed', 'app.menu'] as const satisfies readonly HostEventName[];

// Compile-time check that the lists above name every channel and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const _channelsComplete: Missing<HostChannel, (typeof HOST_CHANNELS)[number]> extends never ? true : never = true;
const _eventsComplete: Missing<HostEventName, (typeof HOST_EVENTS)[number]> extends never ? true : never = true;
void _channelsComplete;
void _eventsComplete;
