import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, extname, isAbsolute, join, resolve } from 'node:path';
import type { FileRef, ImportPhase } from '../../shared/host/contract.js';
import { HostError } from '../../shared/host/errors.js';
import type { EmitEvent } from '../../shared/host/registry.js';
import { safeFileName } from '../../shared/schema/names.js';
import { validateDataset, type DatasetFormat, type DatasetRecord, type ProjectDocument } from '../../shared/schema/project.js';
import { copyWithHash } from './copy-with-hash.js';
import { isCode, isInside } from './file-system.js';
import { checkImportFile } from './import-checks.js';
import { messageOf, type ProjectFolder, type Projects } from './projects.js';
import type { DatasetInspector } from './types.js';
import { UPLOAD_ID } from './uploads.js';
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
  constructor(
    private readonly ws: Workspace,
    private readonly projects: Projects,
    private readonly inspector: DatasetInspector,
    private readonly emit: EmitEvent,
    private readonly allowPathRefs: boolean,
  ) {}

  async import(project: string, file: FileRef, importId: string): Promise<DatasetRecord> {
    const source = await this.resolve(file);
    try {
      return await this.importFile(project, source, importId);
    } finally {
      if (file.kind === 'upload') await rm(source.path, { force: true }).catch(() => undefined);
    }
  }

  /** Imports a file this host trusts (a path ref already allowed, or Orchard's own sample). */
  async importFile(projectName: string, source: ImportSource, importId: string): Promise<DatasetRecord> {
    const key = projectKey(projectName);
    const progress = (phase: ImportPhase, fraction: number): void => {
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
      const { format, sizeBytes } = await checkImportFile(source.path, fileName, source.shownAs);
      // Made inside the project's queue, so a rename or delete that is already running finishes first.
      partial = await this.ws.queue.run(key, async () => {
        const folder = await this.projects.locate(projectName);
        const dir = join(folder.dir, 'datasets', `${id}.partial`);
        await mkdir(dir, { recursive: true });
        return dir;
      });
      progress('copy', 0);
      const copied = await copyWithHash(source.path, join(partial, fileName), sizeBytes, (f) => progress('copy', f));
      progress('inspect', 0);
      const shape = await this.inspect(join(partial, fileName), fileName, format);
      progress('inspect', 1);
      progress('save', 0);
      const record = this.checkRecord({
        id,
        name: stemOf(source.originalName) || stemOf(fileName) || 'data',
        originalName: source.originalName,
        format,
        storedFile: `datasets/${id}/${fileName}`,
        sha256: copied.sha256,
        sizeBytes: copied.sizeBytes,
        importedAt: new Date().toISOString(),
        rows: shape.rows,
        columns: shape.columns.map((c) => ({ name: c.name, type: c.type })),
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
      this.ws.busy.leave(key);
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

  /** The stored copy's bytes. Files over 1.5 GB are refused: they would not fit one message to the renderer. */
  async read(project: string, datasetId: string): Promise<Uint8Array> {
    const folder = await this.projects.locate(project);
    const record = findDataset(await this.projects.read(folder), folder, datasetId);
    const path = storedPathOf(folder, record);
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      throw new HostError('not-found', `The stored copy of ${record.originalName} is missing from "${folder.name}" (${record.storedFile}).`);
    }
    if (size > MAX_READ_BYTES) {
      const gb = (size / 1024 ** 3).toFixed(1);
      throw new HostError('not-supported', `${record.originalName} is ${gb} GB, too large to open here: the limit is 1.5 GB.`);
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

  private async inspect(path: string, fileName: string, format: DatasetFormat): Promise<{ rows: number; columns: DatasetRecord['columns'] }> {
    try {
      return await this.inspector.inspect({ path, fileName, format });
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

function stemOf(fileName: string): string {
  return basename(fileName, extname(fileName)).trim();
}

function findDataset(doc: ProjectDocument, folder: ProjectFolder, datasetId: string): DatasetRecord {
  const record = doc.datasets.find((d) => d.id === datasetId);
  if (record === undefined) throw new HostError('not-found', `Project "${folder.name}" has no dataset ${datasetId}.`);
  return record;
}

/** The stored copy's path; refuses a storedFile that would point outside the project's datasets/ folder. */
function storedPathOf(folder: ProjectFolder, record: DatasetRecord): string {
  const path = resolve(folder.dir, ...record.storedFile.split('/'));
  if (!isInside(join(folder.dir, 'datasets'), path)) {
    throw new HostError('bad-file', `Dataset ${record.id} of "${folder.name}" points outside the project (${record.storedFile}).`);
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
