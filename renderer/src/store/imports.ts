import type { StateCreator } from 'zustand';
import type { FileRef, ImportOptions, ImportPhase } from '../../../shared/host/contract.js';
import type { FilePreview } from '../../../shared/protocol/data-worker.js';
import { fileToRef, host } from '../host/index.js';
import type { AppState } from './index.js';
import { compareColumns } from '../../../shared/data/compare-columns.js';
import { messageOf, type Status } from './status.js';

export interface ImportJob {
  importId: string;
  fileName: string;
  phase: ImportPhase;
  fraction: number;
  status: Status;
  error: string | null;
}

/** The file waiting in the preview dialog: how it will be read, and the analyst's choices so far. */
export interface PendingPreview {
  importId: string;
  fileName: string;
  preview: FilePreview;
  options: ImportOptions;
  /** `running` while a changed choice is being previewed again. */
  status: Status;
  error: string | null;
  /** Files dropped with this one whose columns match: they are appended into the same dataset. */
  appending: string[];
}

/** Files dropped together whose columns differ: import them one by one, or not at all. */
export interface AppendQuestion {
  files: string[];
  differences: string[];
}

export interface ImportsSlice {
  imports: ImportJob[];
  pendingPreview: PendingPreview | null;
  appendQuestion: AppendQuestion | null;
  /** `true`: import the files separately, each with its own preview; `false`: import none. */
  answerAppend(separately: boolean): void;
  /** Previews the file again with these choices (types, missing-value tokens, delimiter, header). */
  updatePreview(options: ImportOptions): Promise<void>;
  /** Imports the previewed file with the current choices; `false` drops it, saving nothing. */
  decidePreview(importIt: boolean): void;
  importFiles(files: readonly File[]): Promise<void>;
  /** A file chosen in the desktop app's own Import dialog (File › Import Data…). */
  importPath(path: string): Promise<void>;
  cancelImport(importId: string): void;
  importProgress(importId: string, phase: ImportPhase, fraction: number): void;
  dismissImport(importId: string): void;
}

const SUPPORTED = /\.(csv|tsv|txt|parquet|pq|json|ndjson|jsonl)$/i;

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
  /** Imports cancelled on the host side (copy or inspection), so their failure reads as a cancellation. */
  const cancelled = new Set<string>();
  let previewing: { ref: FileRef; project: string; decide: (importIt: boolean) => void } | null = null;
  let answering: ((separately: boolean) => void) | null = null;

  /** Shows the preview dialog and waits for Import (the chosen options) or Cancel (null). */
  function askPreview(importId: string, fileName: string, project: string, ref: FileRef, preview: FilePreview, appending: string[]): Promise<ImportOptions | null> {
    return new Promise((resolve) => {
      previewing = {
        ref,
        project,
        decide: (importIt) => {
          const options = get().pendingPreview?.options ?? {};
          previewing = null;
          set({ pendingPreview: null });
          resolve(importIt ? options : null);
        },
      };
      set({ pendingPreview: { importId, fileName, preview, options: {}, status: 'done', error: null, appending } });
    });
  }

  type Prepared = { importId: string; fileName: string; ref: FileRef; preview: FilePreview };

  function failed(importId: string, fileName: string, err: unknown, aborted: boolean): void {
    if (aborted || cancelled.has(importId)) {
      get().dismissImport(importId);
      get().notify('info', `The import of ${fileName} was cancelled; nothing was added.`);
    } else {
      patch(importId, { status: 'failed', error: messageOf(err) });
    }
    controllers.delete(importId);
    cancelled.delete(importId);
  }

  /** Uploads (browser mode) and previews one file; its entry shows progress, or why it was refused (then null). */
  async function prepare(project: string, fileName: string, toRef: (importId: string, signal: AbortSignal) => Promise<FileRef>): Promise<Prepared | null> {
    const importId = crypto.randomUUID();
    const controller = new AbortController();
    controllers.set(importId, controller);
    set((s) => ({ imports: [...s.imports, { importId, fileName, phase: 'upload', fraction: 0, status: 'running', error: null }] }));
    try {
      if (!SUPPORTED.test(fileName)) {
        throw new Error(`${fileName} is not a CSV, Parquet or JSON file. Orchard imports .csv, .tsv, .txt, .parquet, .json and .ndjson files.`);
      }
      const ref = await toRef(importId, controller.signal);
      controllers.delete(importId);
      patch(importId, { phase: 'upload', fraction: 1 });
      const preview = await host.call('datasets.preview', { project, file: ref });
      return { importId, fileName, ref, preview };
    } catch (err) {
      failed(importId, fileName, err, controller.signal.aborted);
      return null;
    }
  }

  /** Shows the preview, then imports the file (with `appended` files added to the same dataset). */
  async function finish(project: string, item: Prepared, appended: Prepared[] = []): Promise<void> {
    const { importId, fileName, ref } = item;
    try {
      const options = await askPreview(importId, fileName, project, ref, item.preview, appended.map((a) => a.fileName));
      if (options === null) {
        for (const job of [item, ...appended]) get().dismissImport(job.importId);
        get().notify('info', `${[fileName, ...appended.map((a) => a.fileName)].join(', ')} ${appended.length > 0 ? 'were' : 'was'} not imported; nothing was added.`);
        return;
      }
      for (const job of appended) get().dismissImport(job.importId);
      const append = appended.map((a) => a.ref);
      const dataset = await host.call('datasets.import', { project, file: ref, importId, options, ...(append.length > 0 ? { append } : {}) });
      patch(importId, { status: 'done', phase: 'save', fraction: 1 });
      const doc = await host.call('projects.open', { name: project });
      if (get().project?.id === doc.id) {
        get().showProject(doc);
        await get().selectDataset(dataset.id);
      }
      void get().loadProjects();
      setTimeout(() => get().dismissImport(importId), 4000);
    } catch (err) {
      failed(importId, fileName, err, false);
    }
  }

  /** Files dropped together: appended into one dataset when their columns match, otherwise the analyst is asked. */
  async function importTogether(project: string, prepared: Prepared[]): Promise<void> {
    const [first, ...rest] = prepared;
    if (first === undefined) return;
    const columnsOf = (p: Prepared) => ({ name: p.fileName, columns: p.preview.columns.filter((c) => c.suggested !== 'ignore').map((c) => ({ name: c.name, type: c.detectedType })) });
    const differences = rest.flatMap((other) => compareColumns(columnsOf(first), columnsOf(other)));
    if (rest.length === 0 || differences.length === 0) return finish(project, first, rest);
    const separately = await new Promise<boolean>((resolve) => {
      answering = (choice) => {
        answering = null;
        set({ appendQuestion: null });
        resolve(choice);
      };
      set({ appendQuestion: { files: prepared.map((p) => p.fileName), differences } });
    });
    if (!separately) {
      for (const p of prepared) get().dismissImport(p.importId);
      get().notify('info', 'Nothing was imported.');
      return;
    }
    for (const p of prepared) await finish(project, p);
  }

  return {
    imports: [],
    pendingPreview: null,
    appendQuestion: null,
    answerAppend: (separately) => answering?.(separately),
    updatePreview: async (options) => {
      const pending = get().pendingPreview;
      const asked = previewing;
      if (pending === null || asked === null) return;
      set({ pendingPreview: { ...pending, options, status: 'running', error: null } });
      try {
        const preview = await host.call('datasets.preview', { project: asked.project, file: asked.ref, options });
        const now = get().pendingPreview;
        if (now?.importId === pending.importId && now.options === options) set({ pendingPreview: { ...now, preview, status: 'done' } });
      } catch (err) {
        const now = get().pendingPreview;
        if (now?.importId === pending.importId && now.options === options) set({ pendingPreview: { ...now, status: 'failed', error: messageOf(err) } });
      }
    },
    decidePreview: (importIt) => previewing?.decide(importIt),
    importFiles: async (files) => {
      const project = get().project?.name;
      if (project === undefined) return;
      const prepared: Prepared[] = [];
      for (const file of files) {
        const item = await prepare(project, file.name, (importId, signal) => fileToRef(file, (f) => get().importProgress(importId, 'upload', f), signal));
        if (item !== null) prepared.push(item);
      }
      await importTogether(project, prepared);
    },
    importPath: async (path) => {
      const project = get().project?.name;
      if (project === undefined) return;
      const item = await prepare(project, path.split(/[/\\]/).pop() ?? path, async () => ({ kind: 'path', path }));
      if (item !== null) await finish(project, item);
    },
    cancelImport: (importId) => {
      const upload = controllers.get(importId);
      if (upload !== undefined) {
        upload.abort();
        return;
      }
      if (get().pendingPreview?.importId === importId) {
        previewing?.decide(false);
        return;
      }
      // Past the upload, the host copies and reads the file: it stops both and removes what it made.
      cancelled.add(importId);
      void host.call('datasets.cancelImport', { importId }).catch(() => undefined);
    },
    importProgress: (importId, phase, fraction) => patch(importId, { phase, fraction }),
    dismissImport: (importId) => set((s) => ({ imports: s.imports.filter((j) => j.importId !== importId) })),
  };
};
