import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { v } from '../../shared/host/validate.js';
import { defineDocument, readDocument } from '../../shared/schema/document.js';
import { removeStaleTempFiles, writeJsonAtomic } from './atomic.js';
import { ageOf, isCode, ONE_DAY_MS } from './file-system.js';
import { BusyProjects, WriteQueue } from './write-queue.js';

/**
 * The workspace folder: one folder per project (named as the project), plus Orchard's own entries, which all
 * start with a dot so they never show as projects:
 *
 *   <root>/<project>/project.json               the project document
 *   <root>/<project>/datasets/<id>/<file>       imported copies, never changed after import
 *   <root>/.staging/<uploadId>                  browser uploads waiting to be imported
 *   <root>/.orchard-workspace.json              workspace settings
 *   <root>/.new-* .deleting-*                   a project being created or deleted
 */

/** Explicit choice (CLI flag, app setting) > ORCHARD_WORKSPACE > ~/Orchard. */
export function resolveWorkspaceRoot(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined && explicit.trim() !== '') return resolve(explicit);
  const fromEnv = env.ORCHARD_WORKSPACE;
  if (fromEnv !== undefined && fromEnv.trim() !== '') return resolve(fromEnv);
  return join(homedir(), 'Orchard');
}

export interface WorkspaceSettings {
  schemaVersion: 1;
  /** Whether the app may still offer the sample project (false once the user made any project). */
  offerSample: boolean;
}

export const workspaceSettingsDocument = defineDocument<WorkspaceSettings>({
  kind: 'workspace settings',
  version: 1,
  migrations: [],
  validate: v.object({ schemaVersion: v.literal(1), offerSample: v.boolean() }),
});

const SETTINGS_FILE = '.orchard-workspace.json';
const ONE_HOUR_MS = 60 * 60_000;

/** Entries of the workspace folder that are Orchard's own, not projects. */
export function isOrchardEntry(name: string): boolean {
  return name.startsWith('.');
}

export class Workspace {
  readonly stagingDir: string;
  /** Serializes changes: per project (`projectKey`) and for the workspace's folder list (`WORKSPACE_KEY`). */
  readonly queue = new WriteQueue();
  readonly busy = new BusyProjects();

  constructor(
    readonly root: string,
    readonly warn: (message: string) => void,
  ) {
    this.stagingDir = join(root, '.staging');
  }

  /** Creates the folder if needed and clears what an earlier crash left behind. */
  async open(): Promise<void> {
    try {
      await mkdir(this.root, { recursive: true });
      await mkdir(this.stagingDir, { recursive: true });
    } catch (err) {
      if (isCode(err, 'EEXIST', 'ENOTDIR')) throw new HostError('invalid-argument', `The workspace ${this.root} is a file, not a folder.`);
      if (isCode(err, 'EACCES', 'EPERM', 'EROFS')) throw new HostError('invalid-argument', `Orchard may not write to the workspace ${this.root}.`);
      throw err;
    }
    await this.removeLeftovers();
  }

  projectDir(folderName: string): string {
    return join(this.root, folderName);
  }

  async readSettings(): Promise<WorkspaceSettings> {
    const file = join(this.root, SETTINGS_FILE);
    try {
      return readDocument(workspaceSettingsDocument, JSON.parse(await readFile(file, 'utf8')));
    } catch (err) {
      if (!isCode(err, 'ENOENT')) this.warn(`Ignoring ${file}: ${err instanceof Error ? err.message : String(err)}`);
      return { schemaVersion: 1, offerSample: true };
    }
  }

  async writeSettings(settings: WorkspaceSettings): Promise<void> {
    await this.queue.run(WORKSPACE_KEY, () => writeJsonAtomic(join(this.root, SETTINGS_FILE), settings));
  }

  /** Called whenever a project is made: the sample offer is for an empty, new workspace only. */
  async stopOfferingSample(): Promise<void> {
    try {
      const settings = await this.readSettings();
      if (settings.offerSample) await this.writeSettings({ ...settings, offerSample: false });
    } catch (err) {
      this.warn(`Could not save the workspace settings: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private async removeLeftovers(): Promise<void> {
    await removeStaleTempFiles(this.root);
    for (const name of await readdir(this.root)) {
      const path = join(this.root, name);
      const age = await ageOf(path);
      if (age === undefined) continue;
      const stale = name.startsWith('.deleting-') || (name.startsWith('.new-') && age > ONE_HOUR_MS);
      if (stale) await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }
    for (const name of await readdir(this.stagingDir)) {
      const path = join(this.stagingDir, name);
      const age = await ageOf(path);
      if (age !== undefined && age > ONE_DAY_MS) await rm(path, { recursive: true, force: true }).catch(() => undefined);
    }
  }
}

export const WORKSPACE_KEY = '\u0000workspace';

/** The queue key of a project: names that differ only in case are the same project. */
export function projectKey(name: string): string {
  return 'project:' + name.trim().toLowerCase();
}
