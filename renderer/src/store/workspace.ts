import type { StateCreator } from 'zustand';
import type { ProjectSummary, WorkspaceInfo } from '../../../shared/host/contract.js';
import { host } from '../host/index.js';
import type { AppState } from './index.js';
import { messageOf, type Status } from './status.js';

export interface WorkspaceSlice {
  workspace: WorkspaceInfo | null;
  projects: ProjectSummary[];
  projectsStatus: Status;
  projectsError: string | null;
  sampleDismissed: boolean;
  loadProjects(): Promise<void>;
  createProject(name: string): Promise<boolean>;
  renameProject(name: string, newName: string): Promise<boolean>;
  deleteProject(name: string): Promise<boolean>;
  createSampleProject(): Promise<void>;
  dismissSample(): void;
}

export const createWorkspaceSlice: StateCreator<AppState, [], [], WorkspaceSlice> = (set, get) => {
  /** Runs a host operation; on failure shows its message and returns false. */
  async function attempt(work: () => Promise<void>): Promise<boolean> {
    try {
      await work();
      return true;
    } catch (err) {
      get().notify('error', messageOf(err));
      return false;
    }
  }

  return {
    workspace: null,
    projects: [],
    projectsStatus: 'idle',
    projectsError: null,
    sampleDismissed: false,

    loadProjects: async () => {
      set({ projectsStatus: 'running', projectsError: null });
      try {
        const [workspace, projects] = await Promise.all([
          host.call('workspace.info', {}),
          host.call('projects.list', {}),
        ]);
        set({ workspace, projects, projectsStatus: 'done' });
      } catch (err) {
        set({ projectsStatus: 'failed', projectsError: messageOf(err) });
      }
    },

    createProject: (name) =>
      attempt(async () => {
        const doc = await host.call('projects.create', { name });
        await get().loadProjects();
        get().showProject(doc);
      }),

    renameProject: (name, newName) =>
      attempt(async () => {
        const doc = await host.call('projects.rename', { name, newName });
        if (get().project?.name === name) get().showProject(doc);
        await get().loadProjects();
      }),

    deleteProject: (name) =>
      attempt(async () => {
        await host.call('projects.delete', { name });
        if (get().project?.name === name) get().closeProject();
        await get().loadProjects();
      }),

    createSampleProject: async () => {
      await attempt(async () => {
        const doc = await host.call('projects.createSample', {});
        await get().loadProjects();
        get().showProject(doc);
      });
    },

    dismissSample: () => set({ sampleDismissed: true }),
  };
};
