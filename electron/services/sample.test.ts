import { randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createNodeInspector } from '../../workers/data/node-inspector.js';
import { defaultResourcesDir } from './app-folders.js';
import { csvLineCounter, servicesForTest } from './fixtures/test-workspace.js';
import { SAMPLE_CREDIT, SAMPLE_PROJECT_NAME } from './sample.js';

let t: Awaited<ReturnType<typeof servicesForTest>> | undefined;
afterEach(async () => {
  await t?.done();
  t = undefined;
});

describe('the sample project', () => {
  it('finds the repo resources from source', async () => {
    expect(await readdir(join(defaultResourcesDir(), 'sample'))).toContain('credit-g.csv');
  });

  it('imports credit-g.csv through the normal import and credits its authors', async () => {
    t = await servicesForTest();
    const doc = await t.services.handlers['projects.createSample']({});
    expect(doc.name).toBe(SAMPLE_PROJECT_NAME);
    expect(doc.sample).toEqual(SAMPLE_CREDIT);
    expect(doc.datasets).toHaveLength(1);
    expect(doc.datasets[0]).toMatchObject({ name: 'credit-g', originalName: 'credit-g.csv', rows: 1000 });
    expect(doc.datasets[0]?.columns).toHaveLength(21);
    const stored = await readFile(join(t.root, doc.name, ...doc.datasets[0]!.storedFile.split('/')));
    expect(stored.equals(await readFile(join(defaultResourcesDir(), 'sample', 'credit-g.csv')))).toBe(true);
    expect((await t.services.handlers['projects.list']({}))[0]).toMatchObject({ name: SAMPLE_PROJECT_NAME, sample: true, datasetCount: 1 });

    const second = await t.services.handlers['projects.createSample']({});
    expect(second.name).toBe(`${SAMPLE_PROJECT_NAME} 2`);
  });

  it('builds the sample with the real data engine', { timeout: 60_000 }, async () => {
    t = await servicesForTest({ inspector: createNodeInspector() });
    const [credit] = (await t.services.handlers['projects.createSample']({})).datasets;
    expect(credit).toMatchObject({ rows: 1000, format: 'csv' });
    expect(credit?.columns).toHaveLength(21);
    expect(credit?.columns.find((c) => c.name === 'duration')?.type).toMatch(/INT/);
    expect(credit?.columns.find((c) => c.name === 'class')?.type).toBe('VARCHAR');
  });

  it('leaves no project behind when the sample cannot be imported', async () => {
    t = await servicesForTest({ resourcesDir: join(tmpdir(), `orchard-no-resources-${randomUUID()}`) });
    await expect(t.services.handlers['projects.createSample']({})).rejects.toMatchObject({ code: 'not-found' });
    expect((await readdir(t.root)).filter((n) => !n.startsWith('.'))).toEqual([]);
  });
});

describe('workspace.info', () => {
  it('offers the sample only in an empty workspace where no project was ever made', async () => {
    t = await servicesForTest({ host: 'web', inspector: csvLineCounter() });
    const info = await t.services.handlers['workspace.info']({});
    expect(info).toMatchObject({ root: t.root, host: 'web', offerSample: true });
    expect(info.version).toMatch(/^\d+\.\d+\.\d+/);
    await t.services.handlers['projects.create']({ name: 'Mine' });
    expect((await t.services.handlers['workspace.info']({})).offerSample).toBe(false);
    await t.services.handlers['projects.delete']({ name: 'Mine' });
    expect((await t.services.handlers['workspace.info']({})).offerSample).toBe(false);
    const settings = JSON.parse(await readFile(join(t.root, '.orchard-workspace.json'), 'utf8')) as unknown;
    expect(settings).toEqual({ schemaVersion: 1, offerSample: false });
  });
});
