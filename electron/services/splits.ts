import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import type { DatasetInspector } from '../../shared/protocol/data-worker.js';
import type { DataSession } from '../../shared/protocol/query.js';
import { readDocument } from '../../shared/schema/document.js';
import { splitDocument, type SplitDocument, type SplitSpec } from '../../shared/schema/split.js';
import { writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { isCode } from './file-system.js';
import { messageOf, type ProjectFolder, type Projects } from './projects.js';
import { findDataset, openStoredDataset } from './stored-dataset.js';
import { projectKey, type Workspace } from './workspace.js';

const SPLIT_ID = /^sp_[0-9a-f]{16}$/;

/**
 * Splits on disk: `<project>/splits/<id>.json` (a SplitDocument) and `<id>.bin` (one byte per row), outside
 * project.json. The assignment is computed in a fresh Node data worker that opens the stored dataset by path,
 * so the renderer never has to send rows to the host and the CLI can split without a window. One split per
 * dataset: a second split with another seed would put the first one's test rows into training.
 */
export class Splits {
  constructor(
    private readonly ws: Workspace,
    private readonly projects: Projects,
    private readonly inspector: DatasetInspector,
  ) {}

  async create(project: string, datasetId: string, spec: SplitSpec): Promise<SplitDocument> {
    const folder = await this.projects.locate(project);
    const record = findDataset(await this.projects.read(folder), folder, datasetId);
    const existing = (await this.listIn(folder)).find((s) => s.datasetId === datasetId);
    if (existing !== undefined) {
      throw new HostError('conflict', `${record.name} already has a split (made ${existing.createdAt.slice(0, 10)}); delete it to make another.`);
    }
    const { codes, summary } = await withSession(this.inspector, async (data) => {
      await data.request('open', openStoredDataset(folder, record, 'dataset'));
      return data.request('assignSplit', { table: 'dataset', spec });
    });
    const id = 'sp_' + randomBytes(8).toString('hex');
    const doc: SplitDocument = {
      schemaVersion: 1,
      id,
      datasetId,
      datasetSha256: record.sha256,
      spec,
      createdAt: new Date().toISOString(),
      assignmentSha256: createHash('sha256').update(codes).digest('hex'),
      ...summary,
    };
    await this.ws.queue.run(projectKey(project), async () => {
      const dir = join((await this.projects.locate(project)).dir, 'splits');
      await mkdir(dir, { recursive: true });
      // The assignment first: a split is listed only once its document exists, and then its bytes are there.
      await writeFileAtomic(join(dir, `${id}.bin`), codes);
      await writeJsonAtomic(join(dir, `${id}.json`), readDocument(splitDocument, doc));
    });
    return doc;
  }

  /** The project's splits, oldest first; splits of datasets since removed are left out. */
  async list(project: string): Promise<SplitDocument[]> {
    const folder = await this.projects.locate(project);
    const ids = new Set((await this.projects.read(folder)).datasets.map((d) => d.id));
    return (await this.listIn(folder)).filter((s) => ids.has(s.datasetId));
  }

  async get(project: string, splitId: string): Promise<SplitDocument> {
    return this.readSplit(await this.projects.locate(project), splitId);
  }

  /** The assignment bytes, checked against the hash its document recorded. */
  async assignment(project: string, splitId: string): Promise<Uint8Array> {
    const folder = await this.projects.locate(project);
    const doc = await this.readSplit(folder, splitId);
    let bytes: Buffer;
    try {
      bytes = await readFile(join(folder.dir, 'splits', `${splitId}.bin`));
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      throw new HostError('not-found', `The assignment of split ${splitId} is missing from "${folder.name}".`);
    }
    if (createHash('sha256').update(bytes).digest('hex') !== doc.assignmentSha256 || bytes.length !== doc.rows) {
      throw new HostError('bad-file', `The assignment of split ${splitId} in "${folder.name}" is damaged; delete the split and make it again.`);
    }
    return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  async delete(project: string, splitId: string): Promise<{ deleted: string }> {
    checkId(splitId);
    await this.ws.queue.run(projectKey(project), async () => {
      const folder = await this.projects.locate(project);
      await this.readSplit(folder, splitId);
      await rm(join(folder.dir, 'splits', `${splitId}.json`));
      await rm(join(folder.dir, 'splits', `${splitId}.bin`), { force: true });
    });
    return { deleted: splitId };
  }

  /** The split of one dataset, if it has one. */
  async forDataset(folder: ProjectFolder, datasetId: string): Promise<SplitDocument | undefined> {
    return (await this.listIn(folder)).find((s) => s.datasetId === datasetId);
  }

  private async listIn(folder: ProjectFolder): Promise<SplitDocument[]> {
    let names: string[];
    try {
      names = await readdir(join(folder.dir, 'splits'));
    } catch (err) {
      if (isCode(err, 'ENOENT')) return [];
      throw err;
    }
    const docs: SplitDocument[] = [];
    for (const name of names.filter((n) => SPLIT_ID.test(n.replace(/\.json$/, '')) && n.endsWith('.json'))) {
      try {
        docs.push(await this.readSplit(folder, name.replace(/\.json$/, '')));
      } catch (err) {
        this.ws.warn(`Skipped split ${name} of "${folder.name}": ${messageOf(err)}`);
      }
    }
    return docs.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }

  private async readSplit(folder: ProjectFolder, splitId: string): Promise<SplitDocument> {
    checkId(splitId);
    let text: string;
    try {
      text = await readFile(join(folder.dir, 'splits', `${splitId}.json`), 'utf8');
    } catch (err) {
      if (!isCode(err, 'ENOENT')) throw err;
      throw new HostError('not-found', `Project "${folder.name}" has no split ${splitId}.`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch {
      throw new HostError('bad-file', `Split ${splitId} of "${folder.name}" is not valid JSON.`);
    }
    return readDocument(splitDocument, raw);
  }
}

function checkId(splitId: string): void {
  if (!SPLIT_ID.test(splitId)) throw new HostError('invalid-argument', `"${splitId.slice(0, 40)}" is not a split id.`);
}

/** Runs `work` on a fresh data worker and always ends it. */
export async function withSession<T>(inspector: DatasetInspector, work: (data: DataSession) => Promise<T>): Promise<T> {
  if (inspector.session === undefined) throw new HostError('not-supported', 'This host has no data engine to split or query with.');
  const data = await inspector.session();
  try {
    return await work(data);
  } finally {
    await data.close().catch(() => undefined);
  }
}
