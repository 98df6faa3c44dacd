import type { DatasetRecord, ProjectDocument } from '../schema/project.js';
import type { FilePreview, ReadOptions } from '../protocol/data-worker.js';
import type { SplitDocument, SplitSpec } from '../schema/split.js';
import type { ExperimentRecord } from '../ml/experiment.js';
import type { PipelineSpec } from '../ml/pipeline/index.js';
import type { ProblemCard } from '../ml/problem.js';
import type { ModelState } from '../ml/types.js';

/**
 * The one host contract. Every host (Electron IPC, the browser host over HTTP, the CLI in-process) serves
 * exactly these operations and pushes exactly these events; the renderer's client is typed by this map, so a
 * wrong name or argument fails to compile. Argument validators live in `validators.ts`, beside this map.
 */


/** The largest range one `datasets.read` returns: a stored copy travels to the renderer in pieces this size. */
export const READ_RANGE_BYTES = 64 * 1024 ** 2;

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
  /**
   * Copies a file into the project, reads it with the data engine as `options` say (types, missing tokens,
   * delimiter, header; defaults otherwise), stores the typed table as Parquet beside it and records its lineage.
   */
  'datasets.import': {
    /** `append`: more files dropped together, appended into the same dataset; refused (`conflict`) when their columns differ. */
    args: { project: string; file: FileRef; importId: string; options?: ImportOptions; append?: FileRef[] };
    result: DatasetRecord;
  };
  /** How a file would be read, before anything is saved: detected settings, a kind per column, sample rows. */
  'datasets.preview': { args: { project: string; file: FileRef; options?: ImportOptions }; result: FilePreview };
  /** Stops a running import (copy or inspection); the import then fails with `cancelled` and changes nothing. */
  'datasets.cancelImport': { args: { importId: string }; result: { cancelled: boolean } };
  'datasets.remove': { args: { project: string; datasetId: string }; result: ProjectDocument };
  /**
   * A stored file's bytes, for the renderer's data worker: the original file, or with `copy: 'table'` the typed
   * Parquet copy (`parquetFile`) where the dataset has one (version-1 datasets fall back to the original). With
   * `offset` and `length` (at most READ_RANGE_BYTES), only that range: shorter at the end of the file, empty past
   * it. Whole files are refused over 1.5 GB; ranges read any size, one message at a time.
   */
  'datasets.read': { args: { project: string; datasetId: string; copy?: 'original' | 'table'; offset?: number; length?: number }; result: Uint8Array };
  /**
   * Splits a dataset into train / validation / test (one split per dataset) and stores it in the project.
   * From then on exploration shows the training partition only.
   */
  'splits.create': { args: { project: string; datasetId: string; spec: SplitSpec }; result: SplitDocument };
  'splits.list': { args: { project: string }; result: SplitDocument[] };
  'splits.get': { args: { project: string; splitId: string }; result: SplitDocument };
  /** The assignment: one byte per row of the dataset (0 train, 1 validation, 2 test, 255 excluded). */
  'splits.assignment': { args: { project: string; splitId: string }; result: Uint8Array };
  'splits.delete': { args: { project: string; splitId: string }; result: { deleted: string } };
  /**
   * Runs one read-only query over the project's datasets (each under its name; split ones show their training
   * rows only) and saves the result as a new dataset whose lineage is the query.
   */
  'datasets.saveQuery': { args: { project: string; sql: string; name: string; sourceDatasetIds: string[] }; result: DatasetRecord };
  /** The project's problem card, or null before it has one. */
  'problem.get': { args: { project: string }; result: ProblemCard | null };
  'problem.save': { args: { project: string; card: ProblemCard }; result: ProblemCard };
  /** The pipeline spec the Prepare stage edits, or null before one is saved. */
  'pipeline.get': { args: { project: string }; result: PipelineSpec | null };
  'pipeline.save': { args: { project: string; spec: PipelineSpec }; result: PipelineSpec };
  /** Every training run kept in the project, newest first. */
  'experiments.list': { args: { project: string }; result: ExperimentRecord[] };
  /** Keeps a finished run (trained in the renderer's training worker) with its fitted pipeline and model. */
  'experiments.save': { args: { project: string; record: NewExperiment; pipeline: unknown; model: ModelState }; result: ExperimentRecord };
  'experiments.files': { args: { project: string; id: string }; result: { record: ExperimentRecord; pipeline: unknown; model: ModelState } };
  'experiments.delete': { args: { project: string; id: string }; result: { deleted: string } };
  /** Opens an http(s) link in the system browser. */
  'app.openExternal': { args: { url: string }; result: { opened: boolean } };
}

/** An experiment as the renderer sends it; the host gives it its id and time. */
export type NewExperiment = Omit<ExperimentRecord, 'id' | 'createdAt' | 'schemaVersion'>;

/** How the analyst wants a file read; anything left out is detected (see ReadOptions). */
export type ImportOptions = Omit<ReadOptions, 'asText'>;

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
] as const satisfies readonly HostChannel[];

export const HOST_EVENTS = ['import.progress', 'projects.changed', 'app.menu'] as const satisfies readonly HostEventName[];

// Compile-time check that the lists above name every channel and event.
type Missing<All, Listed> = Exclude<All, Listed>;
const _channelsComplete: Missing<HostChannel, (typeof HOST_CHANNELS)[number]> extends never ? true : never = true;
const _eventsComplete: Missing<HostEventName, (typeof HOST_EVENTS)[number]> extends never ? true : never = true;
void _channelsComplete;
void _eventsComplete;
