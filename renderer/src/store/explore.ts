import type { StateCreator } from 'zustand';
import { trainingPartition, type PartitionFilter, type QueryOutcome } from '../../../shared/protocol/query.js';
import type { SplitDocument, SplitSpec } from '../../../shared/schema/split.js';
import { attachSplit, datasetsNamedIn, runConsoleQuery } from '../data/explore.js';
import { host } from '../host/index.js';
import type { AppState } from './index.js';
import { messageOf, type Status } from './status.js';

/**
 * Splits and the SQL console. Once the active dataset has a split, exploration is locked to its training
 * partition: `explorationOf` says when views may show rows (`ready`) and which partition they must filter on.
 * The Rows view, the quality report and the console all read it, so no view shows test rows.
 */
export interface ExploreSlice {
  /** The open project's splits; null until loaded for `splitsProject`. */
  splits: SplitDocument[] | null;
  splitsProject: string | null;
  splitStatus: Status;
  splitError: string | null;
  /** The split registered beside the active table in the data worker. */
  attachedSplit: { table: string; splitId: string } | null;
  loadSplits(): Promise<void>;
  /** Registers the active dataset's split in the worker (no-op without one). */
  attachActiveSplit(): Promise<void>;
  createSplit(spec: SplitSpec): Promise<void>;
  deleteSplit(splitId: string): Promise<void>;

  sql: string;
  sqlStatus: Status;
  sqlResult: QueryOutcome | null;
  /** The SQL the shown result came from (what "Save as dataset" saves). */
  sqlRan: string | null;
  setSql(sql: string): void;
  runSql(): Promise<void>;
  /** Saves the last result as a new dataset and opens it; false when it failed (a notice says why). */
  saveSqlResult(name: string): Promise<boolean>;
}

export interface Exploration {
  /** Whether views may show rows or statistics yet (the split, if any, is in place). */
  ready: boolean;
  split: SplitDocument | null;
  /** Filter every view of the active dataset on this; null when the dataset has no split. */
  partition: PartitionFilter | null;
  /** Rows the views describe: the training partition's when split. */
  rows: number;
}

export function explorationOf(s: AppState): Exploration {
  const table = s.table;
  const project = s.project;
  if (project === null || table === null || s.splits === null || s.splitsProject !== project.name) {
    return { ready: false, split: null, partition: null, rows: 0 };
  }
  const split = s.splits.find((x) => x.datasetId === s.activeDatasetId) ?? null;
  if (split === null) return { ready: true, split: null, partition: null, rows: table.rows };
  const ready = s.attachedSplit?.table === table.table && s.attachedSplit.splitId === split.id;
  return { ready, split, partition: partitionOf(table.table), rows: split.counts.train };
}

/** One filter object per table, so selectors comparing shallowly see no change where there is none. */
const partitions = new Map<string, PartitionFilter>();
function partitionOf(table: string): PartitionFilter {
  let found = partitions.get(table);
  if (found === undefined) partitions.set(table, (found = trainingPartition(table)));
  return found;
}

export const createExploreSlice: StateCreator<AppState, [], [], ExploreSlice> = (set, get) => ({
  splits: null,
  splitsProject: null,
  splitStatus: 'idle',
  splitError: null,
  attachedSplit: null,

  loadSplits: async () => {
    const project = get().project;
    if (project === null) return;
    try {
      const splits = await host.call('splits.list', { project: project.name });
      if (get().project?.name === project.name) set({ splits, splitsProject: project.name });
    } catch (err) {
      get().notify('error', `Splits could not be read: ${messageOf(err)}`);
    }
  },

  attachActiveSplit: async () => {
    const { project, table } = get();
    const split = get().splits?.find((x) => x.datasetId === get().activeDatasetId);
    if (project === null || table === null || split === undefined) return;
    try {
      await attachSplit(project.name, table.table, split);
      if (get().table?.table === table.table) set({ attachedSplit: { table: table.table, splitId: split.id } });
    } catch (err) {
      set({ splitStatus: 'failed', splitError: messageOf(err) });
    }
  },

  createSplit: async (spec) => {
    const { project, activeDatasetId } = get();
    if (project === null || activeDatasetId === null) return;
    set({ splitStatus: 'running', splitError: null });
    try {
      const split = await host.call('splits.create', { project: project.name, datasetId: activeDatasetId, spec });
      set((s) => ({ splits: [...(s.splits ?? []), split], splitsProject: project.name, splitStatus: 'done' }));
      await get().attachActiveSplit();
    } catch (err) {
      set({ splitStatus: 'failed', splitError: messageOf(err) });
    }
  },

  deleteSplit: async (splitId) => {
    const project = get().project;
    if (project === null) return;
    try {
      await host.call('splits.delete', { project: project.name, splitId });
      set((s) => ({ splits: (s.splits ?? []).filter((x) => x.id !== splitId), attachedSplit: null, splitStatus: 'idle', splitError: null }));
    } catch (err) {
      get().notify('error', messageOf(err));
    }
  },

  sql: '',
  sqlStatus: 'idle',
  sqlResult: null,
  sqlRan: null,
  setSql: (sql) => set({ sql }),

  runSql: async () => {
    const { project, sql } = get();
    if (project === null || get().sqlStatus === 'running') return;
    set({ sqlStatus: 'running' });
    try {
      if (get().splitsProject !== project.name) await get().loadSplits();
      const result = await runConsoleQuery(project.name, project.datasets, get().splits ?? [], sql);
      set({ sqlResult: result, sqlRan: sql, sqlStatus: 'done' });
    } catch (err) {
      set({ sqlResult: { kind: 'error', message: messageOf(err) }, sqlRan: sql, sqlStatus: 'failed' });
    }
  },

  saveSqlResult: async (name) => {
    const { project, sqlRan } = get();
    if (project === null || sqlRan === null) return false;
    try {
      const sourceDatasetIds = datasetsNamedIn(sqlRan, project.datasets).map((d) => d.id);
      const record = await host.call('datasets.saveQuery', { project: project.name, sql: sqlRan, name, sourceDatasetIds });
      get().showProject(await host.call('projects.open', { name: project.name }));
      await get().selectDataset(record.id);
      void get().loadProjects();
      return true;
    } catch (err) {
      get().notify('error', messageOf(err));
      return false;
    }
  },
});
