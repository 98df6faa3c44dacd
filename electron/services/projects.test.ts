import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostError } from '../../shared/host/errors.js';
import type { HandlerMap } from '../../shared/host/registry.js';
import { servicesForTest } from './fixtures/test-workspace.js';

let t: Awaited<ReturnType<typeof servicesForTest>>;
let h: HandlerMap;
beforeEach(async () => {
  t = await servicesForTest();
  h = t.services.handlers;
});
afterEach(async () => {
  await t.done();
});

const failure = async (promise: Promise<unknown>): Promise<HostError> => {
  try {
    await promise;
  } catch (err) {
    return err as HostError;
  }
  throw new Error('expected the call to fail');
};
const projectFolders = async (): Promise<string[]> => (await readdir(t.root)).filter((n) => !n.startsWith('.')).sort();

describe('projects', () => {
  it('creates, opens and lists projects, newest change first', async () => {
    const first = await h['projects.create']({ name: 'Churn' });
    expect(first).toMatchObject({ schemaVersion: 2, name: 'Churn', datasets: [] });
    expect(first.id).toMatch(/^prj_[0-9a-f]{16}$/);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await h['projects.create']({ name: '  Fraud 2025  ' });
    expect(await projectFolders()).toEqual(['Churn', 'Fraud 2025']);
    expect(await h['projects.open']({ name: 'Churn' })).toEqual(first);
    const list = await h['projects.list']({});
    expect(list.map((p) => p.name)).toEqual(['Fraud 2025', 'Churn']);
    expect(list[1]).toEqual({ name: 'Churn', createdAt: first.createdAt, updatedAt: first.updatedAt, datasetCount: 0, sample: false });
    expect(t.events).toContainEqual({ event: 'projects.changed', payload: { project: 'Churn' } });
  });

  it('refuses a name that differs only in case, and creates nothing', async () => {
    await h['projects.create']({ name: 'Churn' });
    const same = await failure(h['projects.create']({ name: 'Churn' }));
    expect(same.code).toBe('conflict');
    expect(same.message).toBe('A project named "Churn" already exists.');
    const cased = await failure(h['projects.create']({ name: 'CHURN' }));
    expect(cased.code).toBe('conflict');
    expect(cased.message).toContain('too close to the existing project "Churn"');
    expect(await projectFolders()).toEqual(['Churn']);
    expect(await readdir(t.root)).not.toContainEqual(expect.stringMatching(/^\.new-/));
  });

  it('refuses unsafe names without touching the disk', async () => {
    for (const name of ['../escape', 'a/b', 'a\\b', '.hidden', 'CON', 'what?', ' ']) {
      expect((await failure(h['projects.create']({ name }))).code).toBe('invalid-argument');
    }
    expect(await projectFolders()).toEqual([]);
    expect(await readdir(join(t.root, '..'))).toEqual(['workspace']);
  });

  it('opens a project by name in any case and says clearly when there is none', async () => {
    await h['projects.create']({ name: 'Churn' });
    expect((await h['projects.open']({ name: 'churn' })).name).toBe('Churn');
    const missing = await failure(h['projects.open']({ name: 'Nope' }));
    expect(missing.code).toBe('not-found');
    expect(missing.message).toBe('There is no project named "Nope".');
  });

  it('renames the folder and the document, and refuses a taken name', async () => {
    await h['projects.create']({ name: 'Churn' });
    await h['projects.create']({ name: 'Fraud' });
    const renamed = await h['projects.rename']({ name: 'Churn', newName: 'Churn v2' });
    expect(renamed.name).toBe('Churn v2');
    expect(await projectFolders()).toEqual(['Churn v2', 'Fraud']);
    const saved = JSON.parse(await readFile(join(t.root, 'Churn v2', 'project.json'), 'utf8')) as { name: string };
    expect(saved.name).toBe('Churn v2');
    expect((await failure(h['projects.rename']({ name: 'Churn v2', newName: 'fraud' }))).code).toBe('conflict');
    expect((await failure(h['projects.rename']({ name: 'Gone', newName: 'Other' }))).code).toBe('not-found');
    expect((await failure(h['projects.rename']({ name: 'Fraud', newName: '../Fraud' }))).code).toBe('invalid-argument');
    // Only the case changes: allowed, it is the same project.
    expect((await h['projects.rename']({ name: 'Fraud', newName: 'FRAUD' })).name).toBe('FRAUD');
    expect(await projectFolders()).toEqual(['Churn v2', 'FRAUD']);
  });

  it('deletes a project folder, and says not-found for a missing one', async () => {
    await h['projects.create']({ name: 'Churn' });
    await writeFile(join(t.root, 'Churn', 'notes.txt'), 'kept until delete');
    expect(await h['projects.delete']({ name: 'churn' })).toEqual({ deleted: 'Churn' });
    expect(await readdir(t.root)).toEqual(['.orchard-workspace.json', '.staging']);
    expect((await failure(h['projects.delete']({ name: 'Churn' }))).code).toBe('not-found');
  });

  it('lists the healthy projects and reports damaged folders instead of failing', async () => {
    await h['projects.create']({ name: 'Healthy' });
    await mkdir(join(t.root, 'No document'));
    await mkdir(join(t.root, 'Broken JSON'));
    await writeFile(join(t.root, 'Broken JSON', 'project.json'), '{"schemaVersion": 1, "na');
    await mkdir(join(t.root, 'From the future'));
    await writeFile(join(t.root, 'From the future', 'project.json'), JSON.stringify({ schemaVersion: 99 }));
    expect((await h['projects.list']({})).map((p) => p.name)).toEqual(['Healthy']);
    expect(t.warnings).toHaveLength(3);
    expect(t.warnings.join('\n')).toMatch(/not valid JSON/);
    expect(t.warnings.join('\n')).toMatch(/newer Orchard/);
    expect(t.warnings.join('\n')).toMatch(/has no project.json/);
    const damaged = await failure(h['projects.open']({ name: 'Broken JSON' }));
    expect(damaged.code).toBe('bad-file');
    expect((await failure(h['projects.open']({ name: 'From the future' }))).code).toBe('not-supported');
  });

  it('opens a project saved in format 1', async () => {
    await mkdir(join(t.root, 'Loan defaults'));
    await copyFile(new URL('./fixtures/project.v1.json', import.meta.url), join(t.root, 'Loan defaults', 'project.json'));
    const doc = await h['projects.open']({ name: 'Loan defaults' });
    expect(doc.datasets[0]?.rows).toBe(1000);
    expect((await h['projects.list']({}))[0]).toMatchObject({ name: 'Loan defaults', datasetCount: 1 });
  });
});
