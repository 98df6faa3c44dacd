import { randomUUID } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { HostError } from '../../shared/host/errors.js';
import { sameProjectName } from '../../shared/schema/names.js';
import type { ProjectDocument } from '../../shared/schema/project.js';
import type { Datasets } from './datasets.js';
import type { Projects } from './projects.js';
import { isOrchardEntry, type Workspace } from './workspace.js';

export const SAMPLE_PROJECT_NAME = 'Sample – German credit';
export const SAMPLE_FILE = 'credit-g.csv';

/** The credit the app shows with the sample project, as the data's licence asks. */
export const SAMPLE_CREDIT: NonNullable<ProjectDocument['sample']> = {
  title: 'Statlog German Credit',
  credit: 'Hans Hofmann (1994), UCI Machine Learning Repository, via OpenML dataset 31',
  licence: 'CC BY 4.0',
  url: 'https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data',
};

/**
 * Builds the sample project: a new project (named "Sample – German credit", or "… 2", "… 3" if taken) that
 * imports `<resourcesDir>/sample/credit-g.csv` through the same import as any file. If the import fails the
 * project is removed again.
 */
export async function createSampleProject(
  ws: Workspace,
  projects: Projects,
  datasets: Datasets,
  resourcesDir: string,
): Promise<ProjectDocument> {
  const created = await createUnderFreeName(ws, projects);
  try {
    await datasets.importFile(
      created.name,
      { path: join(resourcesDir, 'sample', SAMPLE_FILE), originalName: SAMPLE_FILE, shownAs: `the sample data (${SAMPLE_FILE})` },
      `sample-${randomUUID()}`,
    );
  } catch (err) {
    await projects.delete(created.name).catch(() => undefined);
    if (err instanceof HostError && err.code === 'not-found') {
      throw new HostError('not-found', `The sample data is missing from this copy of Orchard (${join(resourcesDir, 'sample', SAMPLE_FILE)}).`);
    }
    throw err;
  }
  return projects.open(created.name);
}

/** Tries the sample's name, then "… 2", "… 3", until one is free (another window may take one meanwhile). */
async function createUnderFreeName(ws: Workspace, projects: Projects): Promise<ProjectDocument> {
  const taken = (await readdir(ws.root)).filter((n) => !isOrchardEntry(n));
  for (let n = 1; ; n++) {
    const name = n === 1 ? SAMPLE_PROJECT_NAME : `${SAMPLE_PROJECT_NAME} ${n}`;
    if (taken.some((t) => sameProjectName(t, name))) continue;
    try {
      return await projects.create(name, { sample: SAMPLE_CREDIT });
    } catch (err) {
      if (!(err instanceof HostError && err.code === 'conflict') || n > 50) throw err;
    }
  }
}
