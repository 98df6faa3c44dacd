import type { StateCreator } from 'zustand';
import type { FileRef, ImportPhase } from '../../../shared/host/contract.js';
import { fileToRef, host } from '../host/index.js';
import type { AppState } from './index.js';
import { messageOf, type Status } from './status.js';

export interface ImportJob {
  importId: string;
  fileName: string;
  phase: ImportPhase;
  fraction: number;
  status: Status;
  error: string | null;
}

export interface ImportsSlice {
  imports: ImportJob[];
  importFiles(files: readonly File[]): Promise<void>;
  /** A file chosen in the desktop app's own Import dialog (File › Import Data…). */
  importPath(path: string): Promise<void>;
  cancelImport(importId: string): void;
  importProgress(importId: string, phase: ImportPhase, fraction: number): void;
  dismissImport(importId: string): void;
}

const SUPPORTED = /\.(csv|tsv|txt|parquet|pq)$/i;

/** Each phase's share of the bar, so one bar moves steadily through upload, copy, inspect and save. */
const PHASES: Record<ImportPhase, [number, number]> = {
  upload: [0, 0.4],
  copy: [0.4, 0.6],
  inspect: [0.6, 0.95],
  save: [0.95, 1],
};

export function overallFraction(phase: ImportPhase, fraction: number): number {
  const [from, to] = PHASES[phase];
  return from + (to - from) * Math.min(1, Math.max(0, fraction));
}

export const createImportsSlice: StateCreator<AppState, [], [], ImportsSlice> = (set, get) => {
  const patch = (importId: string, change: Partial<ImportJob>) =>
    set((s) => ({ imports: s.imports.map((j) => (j.importId === importId ? { ...j, ...change } : j)) }));

  const controllers = new Map<string, AbortController>();

  async function importOne(fileName: string, toRef: (importId: string, signal: AbortSignal) => Promise<FileRef>) {
    const project = get().project;
    if (project === null) return;
    const importId = crypto.randomUUID();
    const controller = new AbortController();
    controllers.set(importId, controller);
    set((s) => ({
      imports: [...s.imports, { importId, fileName, phase: 'upload', fraction: 0, status: 'running', error: null }],
    }));
    try {
      if (!SUPPORTED.test(fileName)) {
        throw new Error(`${fileName} is not a CSV or Parquet file. Orchard imports .csv, .tsv, .txt and .parquet files.`);
      }
      const ref = await toRef(importId, controller.signal);
      controllers.delete(importId);
      const dataset = await host.call('datasets.import', { project: project.name, file: ref, importId });
      patch(importId, { status: 'done', phase: 'save', fraction: 1 });
      const doc = await host.call('projects.open', { name: project.name });
      if (get().project?.id === doc.id) {
        get().showProject(doc);
        await get().selectDataset(dataset.id);
      }
      void get().loadProjects();
      setTimeout(() => get().dismissImport(importId), 4000);
    } catch (err) {
      if (controller.signal.aborted) {
        get().dismissImport(importId);
        get().notify('info', `The import of ${fileName} was cancelled; nothing was added.`);
      } else {
        patch(importId, { status: 'failed', error: messageOf(err) });
      }
    } finally {
      controllers.delete(importId);
    }
  }

  return {
    imports: [],
    importFiles: async (files) => {
      for (const file of files) {
        await importOne(file.name, (importId, signal) =>
          fileToRef(file, (f) => get().importProgress(importId, 'upload', f), signal),
        );
      }
    },
    importPath: (path) =>
      importOne(path.split(/[/\\]/).pop() ?? path, async () => ({ kind: 'path', path })),
    cancelImport: (importId) => controllers.get(importId)?.abort(),
    importProgress: (importId, phase, fraction) => patch(importId, { phase, fraction }),
    dismissImport: (importId) => set((s) => ({ imports: s.imports.filter((j) => j.importId !== importId) })),
  };
};
