import type { StateCreator } from 'zustand';
import type { TableInfo } from '../../../shared/protocol/data-worker.js';
import type { ProjectDocument } from '../../../shared/schema/project.js';
import { openDatasetTable } from '../data/tables.js';
import { host } from '../host/index.js';
import type { AppState } from './index.js';
import { messageOf, type Status } from './status.js';

export type StageId = 'define' | 'data' | 'prepare' | 'train' | 'evaluate' | 'models' | 'deploy' | 'monitor' | 'govern';

export interface ProjectSlice {
  project: ProjectDocument | null;
  stage: StageId;
  activeDatasetId: string | null;
  table: TableInfo | null;
  tableStatus: Status;
  tableError: string | null;
  showProject(doc: ProjectDocument): void;
  openProject(name: string): Promise<void>;
  closeProject(): void;
  selectDataset(id: string): Promise<void>;
  removeDataset(id: string): Promise<void>;
}

export const createProjectSlice: StateCreator<AppState, [], [], ProjectSlice> = (set, get) => ({
  project: null,
  stage: 'data',
  activeDatasetId: null,
  table: null,
  tableStatus: 'idle',
  tableError: null,

  showProject: (doc) => {
    const keep = get().project?.id === doc.id ? get().activeDatasetId : null;
    const still = doc.datasets.some((d) => d.id === keep);
    set({ project: doc });
    const pick = still ? keep : (doc.datasets.at(-1)?.id ?? null);
    if (pick === null) set({ activeDatasetId: null, table: null, tableStatus: 'idle', tableError: null });
    else if (pick !== get().activeDatasetId || get().table === null) void get().selectDataset(pick);
  },

  openProject: async (name) => {
    try {
      get().showProject(await host.call('projects.open', { name }));
    } catch (err) {
      get().notify('error', messageOf(err));
    }
  },

  closeProject: () =>
    set({ project: null, activeDatasetId: null, table: null, tableStatus: 'idle', tableError: null }),

  selectDataset: async (id) => {
    const project = get().project;
    const dataset = project?.datasets.find((d) => d.id === id);
    if (project === null || dataset === undefined) return;
    set({ activeDatasetId: id, table: null, tableStatus: 'running', tableError: null });
    try {
      const table = await openDatasetTable(project.name, dataset);
      if (get().activeDatasetId === id) set({ table, tableStatus: 'done' });
    } catch (err) {
      if (get().activeDatasetId === id) set({ tableStatus: 'failed', tableError: messageOf(err) });
    }
  },

  removeDataset: async (id) => {
    const project = get().project;
    if (project === null) return;
    try {
      const doc = await host.call('datasets.remove', { project: project.name, datasetId: id });
      get().showProject(doc);
      void get().loadProjects();
    } catch (err) {
      get().notify('error', messageOf(err));
    }
  },
});
