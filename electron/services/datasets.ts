import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { FileRef, ImportOptions, ImportPhase } from '../../shared/host/contract.js';
import { HostError } from '../../shared/host/errors.js';
import type { EmitEvent } from '../../shared/host/registry.js';
import { safeFileName } from '../../shared/schema/names.js';
import type { FilePreview, InspectedFile } from '../../shared/protocol/data-worker.js';
import { validateDataset, type DatasetFormat, type DatasetRecord, type ProjectDocument } from '../../shared/schema/project.js';
import { writeFileAtomic } from './atomic.js';
import { PARQUET_FILE, readSettings, recordColumns } from './dataset-record.js';
import { copyWithHash } from './copy-with-hash.js';
import { isCode, isInside } from './file-system.js';
import { checkImportFile } from './import-checks.js';
import { messageOf, type ProjectFolder, type Projects } from './projects.js';
import type { DatasetInspector } from './types.js';
import { UPLOAD_ID } from './uploads.js';
import { readFileRange } from '../../workers/data/read-range.node.js';
import { projectKey, type Workspace } from './workspace.js';

/** The largest stored copy `datasets.read` hands over in one piece. */
export const MAX_READ_BYTES = 1.5 * 1024 ** 3;

/** A file to import, wherever it came from. */
export interface ImportSource {
  path: string;
  /** The file's name as the user knows it. */
  originalName: string;
  /** How messages name it: the path the user gave, or an upload's original name. */
  shownAs: string;
}

/**
 * Imported datasets. An import copies the file into `datasets/<id>.partial/` while hashing it, has the data
 * engine read the copy, then renames the folder to `datasets/<id>/` and records the dataset in project.json.
 * Whatever fails on the way, the partial copy is removed and the project is exactly as it was.
 */
export class Datasets {
  /** Imports running now, by importId, so `cancelImport` can stop them. */
  private readonly running = new Map<string, { abort: AbortController; phase: ImportPhase }>();

  constructor(
    private readonly ws: Workspace,
    private readonly projects: Projects,
    private readonly inspector: DatasetInspector,
    private readonly emit: EmitEvent,
    private readonly allowPathRefs: boolean,
  ) {}

  /** Imports `file`, with the files in `append` appended into the same dataset (dropped together). */
  async import(project: string, file: FileRef, importId: string, options?: ImportOptions, append: FileRef[] = []): Promise<DatasetRecord> {
    const refs = [file, ...append];
    const sources: ImportSource[] = [];
    try {
      for (const ref of refs) sources.push(await this.resolve(ref));
      return await this.importFile(project, sources[0]!, importId, options, sources.slice(1));
    } finally {
      for (const [i, source] of sources.entries()) {
        if (refs[i]?.kind === 'upload') await rm(source.path, { force: true }).catch(() => undefined);
      }
    }
  }

  /** Imports a file this host trusts (a path ref already allowed, or Orchard's own sample). */
  async importFile(projectName: string, source: ImportSource, importId: string, options?: ImportOptions, more: ImportSource[] = []): Promise<DatasetRecord> {
    const key = projectKey(projectName);
    if (this.running.has(importId)) throw new HostError('conflict', `An import with id ${importId} is already running.`);
    const run = { abort: new AbortController(), phase: 'copy' as ImportPhase };
    this.running.set(importId, run);
    const cancelled = (): void => {
      if (run.abort.signal.aborted) throw new HostError('cancelled', `The import of ${source.shownAs} was cancelled.`);
    };
    const progress = (phase: ImportPhase, fraction: number): void => {
      run.phase = phase;
      try {
        this.emit('import.progress', { importId, phase, fraction });
      } catch (err) {
        this.ws.warn(`A listener of import.progress failed: ${messageOf(err)}`);
      }
    };
    const fileName = safeFileName(source.originalName);
    const id = 'ds_' + randomBytes(8).toString('hex');
    let partial: string | undefined;
    let final: string | undefined;
    let saved = false;
    this.ws.busy.enter(key);
    try {
      const files = [{ source, fileName: storedName(fileName, []), ...(await checkImportFile(source.path, fileName, source.shownAs)) }];
      const { format } = files[0]!;
      for (const other of more) {
        const name = storedName(safeFileName(other.originalName), files.map((f) => f.fileName));
        files.push({ source: other, fileName: name, ...(await checkImportFile(other.path, name, other.shownAs)) });
      }
      // Made inside the project's queue, so a rename or delete that is already running finishes first.
      partial = await this.ws.queue.run(key, async () => {
        const folder = await this.projects.locate(projectName);
        const dir = join(folder.dir, 'datasets', `${id}.partial`);
        await mkdir(dir, { recursive: true });
        return dir;
      });
      progress('copy', 0);
      const copies: { sha256: string; sizeBytes: number }[] = [];
      for (const [i, f] of files.entries()) {
        const onCopy = (fraction: number) => progress('copy', (i + fraction) / files.length);
        copies.push(
          await copyWithHash(f.source.path, join(partial, f.fileName), f.sizeBytes, onCopy, run.abort.signal).catch((err: unknown) => {
            cancelled();
            throw err;
          }),
        );
      }
      const copied = copies[0]!;
      cancelled();
      progress('inspect', 0);
      const appended = files.slice(1).map((f) => ({ path: join(partial!, f.fileName), fileName: f.fileName, format: f.format }));
      // A streamed CSV reports the bytes read; the Parquet copy after it has no estimate.
      const onInspect = (fraction: number) => progress('inspect', Math.min(fraction, 0.99));
      const shape = await this.inspect(join(partial, files[0]!.fileName), fileName, format, options, appended, onInspect);
      cancelled();
      progress('inspect', 1);
      const parquet = await this.storeParquet(partial, shape);
      cancelled();
      progress('save', 0);
      const record = this.checkRecord({
        id,
        name: stemOf(source.originalName) || stemOf(fileName) || 'data',
        originalName: source.originalName,
        format,
        storedFile: `datasets/${id}/${files[0]!.fileName}`,
        sha256: copied.sha256,
        sizeBytes: copied.sizeBytes,
        importedAt: new Date().toISOString(),
        rows: shape.rows,
        columns: recordColumns(shape),
        read: readSettings(shape, options),
        ...(parquet === null ? {} : { parquetFile: `datasets/${id}/${PARQUET_FILE}`, parquetSha256: parquet.sha256 }),
        sources: files.map((f, i) => ({ originalName: f.source.originalName, sha256: copies[i]!.sha256, sizeBytes: copies[i]!.sizeBytes, storedFile: `datasets/${id}/${f.fileName}` })),
      });
      await this.projects.update(projectName, async (doc, folder) => {
        final = join(folder.dir, 'datasets', id);
        await rename(join(folder.dir, 'datasets', `${id}.partial`), final);
        return { ...doc, datasets: [...doc.datasets, record] };
      });
      saved = true;
      progress('save', 1);
      return record;
    } catch (err) {
      throw asImportError(err, source.shownAs);
    } finally {
      if (!saved) {
        for (const dir of [partial, final]) {
          if (dir !== undefined) await rm(dir, { recursive: true, force: true }).catch(() => undefined);
        }
      }
      this.running.delete(importId);
      this.ws.busy.leave(key);
    }
  }

  /** Stops a running import; it fails with `cancelled` and leaves the project as it was. */
  async cancelImport(importId: string): Promise<{ cancelled: boolean }> {
    const run = this.running.get(importId);
    if (run === undefined || run.abort.signal.aborted) return { cancelled: false };
    run.abort.abort();
    // DuckDB's blocking build cannot be interrupted: the inspector's worker is terminated instead.
    if (run.phase === 'inspect') await this.inspector.cancel?.();
    return { cancelled: true };
  }

  /** How the file would be read: detected settings, a kind per column, sample rows. Nothing is saved. */
  async preview(file: FileRef, options?: ImportOptions): Promise<FilePreview> {
    const source = await this.resolve(file);
    const fileName = safeFileName(source.originalName);
    const { format } = await checkImportFile(source.path, fileName, source.shownAs);
    if (this.inspector.preview === undefined) throw new HostError('not-supported', 'This host cannot preview files.');
    try {
      return await this.inspector.preview({ path: source.path, fileName, format, ...(options === undefined ? {} : { options }) });
    } catch (err) {
      if (err instanceof HostError) throw err;
      throw new HostError('bad-file', `Orchard could not read ${fileName}: ${messageOf(err)}`);
    }
  }

  async remove(project: string, datasetId: string): Promise<ProjectDocument> {
    let storedDir: string | undefined;
    const doc = await this.projects.update(project, (current, folder) => {
      const record = findDataset(current, folder, datasetId);
      storedDir = storedFolderOf(folder, record);
      return { ...current, datasets: current.datasets.filter((d) => d.id !== datasetId) };
    });
    if (storedDir !== undefined) {
      await rm(storedDir, { recursive: true, force: true }).catch((err: unknown) => {
        this.ws.warn(`Could not remove the stored copy of dataset ${datasetId}: ${messageOf(err)}`);
      });
    }
    return doc;
  }

  /**
   * The stored copy's bytes, or the bytes in `range` (shorter at the end, empty past it). A whole file over
   * 1.5 GB is refused: it would not fit one message to the renderer, which reads such a file in ranges.
   */
  async read(project: string, datasetId: string, copy: 'original' | 'table' = 'original', range?: { offset: number; length: number }): Promise<Uint8Array> {
    const folder = await this.projects.locate(project);
    const record = findDataset(await this.projects.read(folder), folder, datasetId);
    // The Parquet copy when there is one (typed as imported, fast); a version-1 dataset has only its original.
    const path = storedPathOf(folder, record, copy === 'table' ? (record.parquetFile ?? record.storedFile) : record.storedFile);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      throw new HostError('not-found', `The stored copy of ${record.originalName} is missing from "${folder.name}" (${record.storedFile}).`);
    }
    if (range !== undefined) return readFileRange(path, range.offset, Math.max(0, Math.min(range.length, size - range.offset)));
    if (size > MAX_READ_BYTES) {
      const gb = (size / 1024 ** 3).toFixed(1);
      throw new HostError('not-supported', `${record.originalName} is ${gb} GB, too large to read in one piece: the limit is 1.5 GB; read it in ranges.`);
    }
    const bytes = await readFile(path);
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  private async resolve(file: FileRef): Promise<ImportSource> {
    if (file.kind === 'path') {
      if (!this.allowPathRefs) {
        throw new HostError('not-supported', 'This host cannot import a file by its path; upload the file instead.');
      }
      if (!isAbsolute(file.path)) throw new HostError('invalid-argument', `The file path must be absolute (got ${file.path}).`);
      const path = resolve(file.path);
      return { path, originalName: basename(path), shownAs: path };
    }
    if (!UPLOAD_ID.test(file.uploadId)) throw new HostError('invalid-argument', 'That upload id is not valid.');
    const originalName = file.originalName.split(/[/\\]/).pop() || 'data';
    const path = join(this.ws.stagingDir, file.uploadId);
    try {
      await stat(path);
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      throw new HostError('not-found', `The upload of ${originalName} is no longer waiting to be imported; upload it again.`);
    }
    return { path, originalName, shownAs: originalName };
  }

  /** Writes the Parquet copy the data engine made into the partial folder; null when there is none. */
  private async storeParquet(partial: string, shape: InspectedFile): Promise<{ sha256: string } | null> {
    if (shape.parquet === undefined) return null;
    await writeFileAtomic(join(partial, PARQUET_FILE), shape.parquet);
    return { sha256: createHash('sha256').update(shape.parquet).digest('hex') };
  }

  private async inspect(
    path: string,
    fileName: string,
    format: DatasetFormat,
    options: ImportOptions | undefined,
    append: { path: string; fileName: string; format: DatasetFormat }[],
    onProgress: (fraction: number) => void,
  ): Promise<InspectedFile> {
    try {
      const file = { path, fileName, format, parquet: true, ...(options === undefined ? {} : { options }), ...(append.length > 0 ? { append } : {}) };
      return await this.inspector.inspect(file, onProgress);
    } catch (err) {
      if (err instanceof HostError) throw err;
      throw new HostError('bad-file', `Orchard could not read ${fileName}: ${messageOf(err)}`);
    }
  }

  private checkRecord(record: DatasetRecord): DatasetRecord {
    try {
      return validateDataset(record, 'dataset');
    } catch (err) {
      throw new HostError('bad-file', `${record.originalName} cannot be recorded: ${messageOf(err)}`);
    }
  }
}

/** A file name not yet taken in the dataset's folder: `b.csv`, else `2-b.csv`, `3-b.csv`… */
function storedName(name: string, taken: string[]): string {
  let candidate = name;
  for (let k = 2; taken.includes(candidate) || candidate === PARQUET_FILE; k++) candidate = `${k}-${name}`;
  return candidate;
}

function stemOf(fileName: string): string {
  return basename(fileName, extname(fileName)).trim();
}

function findDataset(doc: ProjectDocument, folder: ProjectFolder, datasetId: string): DatasetRecord {
  const record = doc.datasets.find((d) => d.id === datasetId);
  if (record === undefined) throw new HostError('not-found', `Project "${folder.name}" has no dataset ${datasetId}.`);
  return record;
}

/** The stored copy's path; refuses a storedFile that would point outside the project's datasets/ folder. */
function storedPathOf(folder: ProjectFolder, record: DatasetRecord, file = record.storedFile): string {
  const path = resolve(folder.dir, ...file.split('/'));
  if (!isInside(join(folder.dir, 'datasets'), path)) {
    throw new HostError('bad-file', `Dataset ${record.id} of "${folder.name}" points outside the project (${file}).`);
  }
  return path;
}

/** The folder of a stored copy, `datasets/<id>/`; undefined when the record points anywhere else. */
function storedFolderOf(folder: ProjectFolder, record: DatasetRecord): string | undefined {
  const dir = dirname(resolve(folder.dir, ...record.storedFile.split('/')));
  return isInside(join(folder.dir, 'datasets'), dir) ? dir : undefined;
}

function asImportError(err: unknown, shownAs: string): HostError {
  if (err instanceof HostError) return err;
  if (isCode(err, 'ENOSPC')) return new HostError('internal', `Could not import ${shownAs}: the disk is full.`);
  return new HostError('internal', `Could not import ${shownAs}: ${messageOf(err)}`);
}
