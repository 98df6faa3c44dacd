import { randomBytes, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ProjectSummary } from '../../shared/host/contract.js';
import { HostError } from '../../shared/host/errors.js';
import type { EmitEvent } from '../../shared/host/registry.js';
import { readDocument } from '../../shared/schema/document.js';
import { checkProjectName, sameProjectName } from '../../shared/schema/names.js';
import { projectDocument, type ProjectDocument } from '../../shared/schema/project.js';
import { removeStaleTempFiles, writeJsonAtomic } from './atomic.js';
import { ageOf, isCode, ONE_DAY_MS } from './file-system.js';
import { isOrchardEntry, projectKey, WORKSPACE_KEY, type Workspace } from './workspace.js';

/** A project's folder: its name is the project's name. */
export interface ProjectFolder {
  name: string;
  dir: string;
}

export const PROJECT_FILE = 'project.json';

/**
 * Projects on disk. Each change to a project's document is a read-modify-write run through the workspace's
 * queue, and every write is atomic. Creating, renaming and deleting a folder also hold the workspace's key,
 * so two of them cannot pick the same name at once.
 */
export class Projects {
  constructor(
    private readonly ws: Workspace,
    private readonly emit: EmitEvent,
  ) {}

  /** Summaries, newest change first. A damaged project folder is reported through `warn` and left out. */
  async list(): Promise<ProjectSummary[]> {
    const summaries: ProjectSummary[] = [];
    for (const entry of await readdir(this.ws.root, { withFileTypes: true })) {
      if (!entry.isDirectory() || isOrchardEntry(entry.name)) continue;
      try {
        if (checkProjectName(entry.name) !== entry.name) throw new HostError('invalid-argument', 'not a valid project name');
        const doc = await this.read({ name: entry.name, dir: this.ws.projectDir(entry.name) });
        summaries.push({
          name: doc.name,
          createdAt: doc.createdAt,
          updatedAt: doc.updatedAt,
          datasetCount: doc.datasets.length,
          sample: doc.sample !== undefined,
        });
      } catch (err) {
        this.ws.warn(`Skipped the folder "${entry.name}" in the workspace: ${messageOf(err)}`);
      }
    }
    return summaries.sort((a, b) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt) || a.name.localeCompare(b.name));
  }

  /** Finds a project's folder; the name matches regardless of case, as it would on macOS and Windows. */
  async locate(rawName: string): Promise<ProjectFolder> {
    const name = checkProjectName(rawName);
    const entries = (await readdir(this.ws.root, { withFileTypes: true })).filter(
      (e) => e.isDirectory() && !isOrchardEntry(e.name),
    );
    const found = entries.find((e) => e.name === name) ?? entries.find((e) => sameProjectName(e.name, name));
    if (found === undefined) throw new HostError('not-found', `There is no project named "${name}".`);
    return { name: found.name, dir: this.ws.projectDir(found.name) };
  }

  /** Reads and checks a project's document. The folder's name is the project's name. */
  async read(folder: ProjectFolder): Promise<ProjectDocument> {
    let text: string;
    try {
      text = await readFile(join(folder.dir, PROJECT_FILE), 'utf8');
    } catch (err) {
      if (isCode(err, 'ENOENT')) {
        throw new HostError('bad-file', `"${folder.name}" is not an Orchard project: its folder has no ${PROJECT_FILE}.`);
      }
      throw err;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HostError('bad-file', `Project "${folder.name}" cannot be opened: its ${PROJECT_FILE} is not valid JSON.`);
    }
    try {
      return { ...readDocument(projectDocument, raw), name: folder.name };
    } catch (err) {
      if (err instanceof HostError) throw new HostError(err.code, `Project "${folder.name}" cannot be opened. ${err.message}`);
      throw err;
    }
  }

  async open(name: string): Promise<ProjectDocument> {
    const folder = await this.locate(name);
    await this.removeLeftovers(folder).catch(() => undefined);
    return this.read(folder);
  }

  /** Makes an empty project. Nothing is left on disk if it fails. */
  async create(rawName: string, extra: Pick<ProjectDocument, 'sample'> = {}): Promise<ProjectDocument> {
    const name = checkProjectName(rawName);
    const doc = await this.ws.queue.run(WORKSPACE_KEY, async () => {
      await this.refuseTakenName(name);
      const now = new Date().toISOString();
      const created: ProjectDocument = {
        schemaVersion: 2,
        id: 'prj_' + randomBytes(8).toString('hex'),
        name,
        createdAt: now,
        updatedAt: now,
        ...(extra.sample !== undefined ? { sample: extra.sample } : {}),
        datasets: [],
      };
      const building = join(this.ws.root, `.new-${randomUUID()}`);
      try {
        await mkdir(building);
        await writeJsonAtomic(join(building, PROJECT_FILE), created);
        await rename(building, this.ws.projectDir(name));
      } catch (err) {
        await rm(building, { recursive: true, force: true }).catch(() => undefined);
        throw err;
      }
      return created;
    });
    await this.ws.stopOfferingSample();
    this.changed(name);
    return doc;
  }

  async rename(name: string, rawNewName: string): Promise<ProjectDocument> {
    const newName = checkProjectName(rawNewName);
    const doc = await this.ws.queue.run(WORKSPACE_KEY, () =>
      this.ws.queue.run(projectKey(name), async () => {
        const folder = await this.locate(name);
        const before = await this.read(folder);
        if (newName === folder.name) return before;
        await this.refuseTakenName(newName, folder.name);
        this.refuseWhileImporting(folder.name);
        const target = this.ws.projectDir(newName);
        await rename(folder.dir, target).catch((err: unknown) => {
          throw new HostError('internal', `Could not rename the folder of "${folder.name}": ${messageOf(err)}`);
        });
        const after: ProjectDocument = { ...before, name: newName, updatedAt: new Date().toISOString() };
        try {
          await writeJsonAtomic(join(target, PROJECT_FILE), after);
        } catch (err) {
          await rename(target, folder.dir).catch(() => undefined);
          throw err;
        }
        return after;
      }),
    );
    this.changed(doc.name);
    return doc;
  }

  /** Removes the project's folder with everything in it. */
  async delete(name: string): Promise<{ deleted: string }> {
    const deleted = await this.ws.queue.run(WORKSPACE_KEY, () =>
      this.ws.queue.run(projectKey(name), async () => {
        const folder = await this.locate(name);
        this.refuseWhileImporting(folder.name);
        // Moving it aside first makes the project disappear at once; a crash mid-removal leaves only a
        // hidden folder, which the next start clears.
        const doomed = join(this.ws.root, `.deleting-${randomUUID()}`);
        await rename(folder.dir, doomed);
        await rm(doomed, { recursive: true, force: true }).catch((err: unknown) => {
          this.ws.warn(`Could not remove every file of "${folder.name}": ${messageOf(err)}`);
        });
        return folder.name;
      }),
    );
    this.changed(deleted);
    return { deleted };
  }

  /**
   * Changes a project's document: `change` gets the current document (read inside the project's queue) and
   * returns the next one, which is saved atomically with a new `updatedAt`.
   */
  async update(
    name: string,
    change: (doc: ProjectDocument, folder: ProjectFolder) => Promise<ProjectDocument> | ProjectDocument,
  ): Promise<ProjectDocument> {
    const doc = await this.ws.queue.run(projectKey(name), async () => {
      const folder = await this.locate(name);
      const next = { ...(await change(await this.read(folder), folder)), updatedAt: new Date().toISOString() };
      await writeJsonAtomic(join(folder.dir, PROJECT_FILE), checkBeforeSaving(next));
      return next;
    });
    this.changed(doc.name);
    return doc;
  }

  /** Tells listeners; a failing listener must not turn a saved change into a reported failure. */
  private changed(project: string): void {
    try {
      this.emit('projects.changed', { project });
    } catch (err) {
      this.ws.warn(`A listener of projects.changed failed: ${messageOf(err)}`);
    }
  }

  private async refuseTakenName(name: string, except?: string): Promise<void> {
    for (const entry of await readdir(this.ws.root)) {
      if (isOrchardEntry(entry) || entry === except || !sameProjectName(entry, name)) continue;
      if (entry === name) throw new HostError('conflict', `A project named "${name}" already exists.`);
      throw new HostError(
        'conflict',
        `"${name}" is too close to the existing project "${entry}": names that differ only in case are the same folder on macOS and Windows.`,
      );
    }
  }

  private refuseWhileImporting(name: string): void {
    if (this.ws.busy.isBusy(projectKey(name))) {
      throw new HostError('conflict', `A file is being imported into "${name}"; try again when the import has finished.`);
    }
  }

  /** Clears temp files and half-copied datasets that an interrupted save or import left in the project. */
  private async removeLeftovers(folder: ProjectFolder): Promise<void> {
    await removeStaleTempFiles(folder.dir);
    const datasetsDir = join(folder.dir, 'datasets');
    let names: string[] = [];
    try {
      names = await readdir(datasetsDir);
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
    }
    for (const name of names.filter((n) => n.endsWith('.partial'))) {
      const age = await ageOf(join(datasetsDir, name));
      if (age !== undefined && age > ONE_DAY_MS) await rm(join(datasetsDir, name), { recursive: true, force: true });
    }
  }
}

/** Never save a document this Orchard could not open again. */
function checkBeforeSaving(doc: ProjectDocument): ProjectDocument {
  try {
    return projectDocument.validate(doc, 'project');
  } catch (err) {
    throw new HostError('internal', `Orchard refused to save a project it could not read back: ${messageOf(err)}`);
  }
}

export function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
