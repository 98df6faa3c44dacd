import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { HostError } from '../../shared/host/errors.js';
import { v } from '../../shared/host/validate.js';
import { defineDocument, readDocument } from '../../shared/schema/document.js';
import { projectDocument } from '../../shared/schema/project.js';

/**
 * Old projects must keep opening: project.v1.json is a frozen version-1 document, never edited. When the
 * format changes, add a migration and keep this fixture as it is.
 */
const fixture = async (): Promise<Record<string, unknown>> =>
  JSON.parse(await readFile(new URL('./fixtures/project.v1.json', import.meta.url), 'utf8')) as Record<string, unknown>;

const errorOf = (run: () => unknown): HostError => {
  try {
    run();
  } catch (err) {
    if (err instanceof HostError) return err;
    throw err;
  }
  throw new Error('expected a HostError');
};

describe('project documents', () => {
  it('reads the frozen version-1 fixture', async () => {
    const doc = readDocument(projectDocument, await fixture());
    expect(doc.schemaVersion).toBe(projectDocument.version);
    expect(doc.name).toBe('Loan defaults');
    expect(doc.datasets).toHaveLength(1);
    const [dataset] = doc.datasets;
    expect(dataset).toMatchObject({ originalName: 'credit-g.csv', format: 'csv', rows: 1000, sizeBytes: 139016 });
    expect(dataset?.columns).toHaveLength(21);
    expect(dataset?.storedFile).toBe(`datasets/${dataset?.id}/credit-g.csv`);
    // Version 2 added the Parquet copy and read settings; a v1 dataset has neither, so readers use the original.
    expect(dataset?.parquetFile).toBeUndefined();
    expect(dataset?.read).toBeUndefined();
  });

  it('refuses a document from a newer Orchard with not-supported', async () => {
    const newer = { ...(await fixture()), schemaVersion: 99 };
    const err = errorOf(() => readDocument(projectDocument, newer));
    expect(err.code).toBe('not-supported');
    expect(err.message).toMatch(/newer Orchard \(format 99/);
  });

  it('refuses a damaged document with bad-file', async () => {
    const damaged = await fixture();
    (damaged.datasets as Record<string, unknown>[])[0]!.sha256 = 'short';
    expect(errorOf(() => readDocument(projectDocument, damaged)).code).toBe('bad-file');
    expect(errorOf(() => readDocument(projectDocument, [])).code).toBe('bad-file');
    expect(errorOf(() => readDocument(projectDocument, { name: 'no version' })).code).toBe('bad-file');
  });

  it('lifts an old document through each migration in order', () => {
    interface Recipe {
      schemaVersion: 3;
      title: string;
      steps: string[];
      history: string[];
    }
    const recipe = defineDocument<Recipe>({
      kind: 'recipe',
      version: 3,
      migrations: [
        // 1 -> 2: `name` became `title`.
        ({ name, ...rest }) => ({ ...rest, title: name, history: ['1->2'] }),
        // 2 -> 3: a single `step` became a list.
        ({ step, history, ...rest }) => ({ ...rest, steps: [step], history: [...(history as string[]), '2->3'] }),
      ],
      validate: v.object({
        schemaVersion: v.literal(3),
        title: v.string(),
        steps: v.array(v.string()),
        history: v.array(v.string()),
      }),
    });
    expect(readDocument(recipe, { schemaVersion: 1, name: 'bread', step: 'knead' })).toEqual({
      schemaVersion: 3,
      title: 'bread',
      steps: ['knead'],
      history: ['1->2', '2->3'],
    });
    expect(readDocument(recipe, { schemaVersion: 2, title: 'soup', step: 'stir', history: [] })).toEqual({
      schemaVersion: 3,
      title: 'soup',
      steps: ['stir'],
      history: ['2->3'],
    });
    expect(() => defineDocument({ ...recipe, migrations: recipe.migrations.slice(1) })).toThrow(/needs 2 migrations/);
  });
});
