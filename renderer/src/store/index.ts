import { create } from 'zustand';
import { createExploreSlice, type ExploreSlice } from './explore.js';
import { createImportsSlice, type ImportsSlice } from './imports.js';
import { createModellingSlice, type ModellingSlice } from './modelling.js';
import { createNoticesSlice, type NoticesSlice } from './notices.js';
import { createProjectSlice, type ProjectSlice } from './project.js';
import { createWorkspaceSlice, type WorkspaceSlice } from './workspace.js';

export type AppState = WorkspaceSlice & ProjectSlice & ImportsSlice & NoticesSlice & ExploreSlice & ModellingSlice;

/** The one store, combined from typed slices (zustand's slices pattern). */
export const useApp = create<AppState>()((...a) => ({
  ...createWorkspaceSlice(...a),
  ...createProjectSlice(...a),
  ...createImportsSlice(...a),
  ...createNoticesSlice(...a),
  ...createExploreSlice(...a),
  ...createModellingSlice(...a),
}));
