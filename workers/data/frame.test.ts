import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Frame, FrameColumn } from '../../shared/ml/types.js';
import { DATASETS } from '../../test/team-files.js';
import { ENGINE_TARGETS, type Request } from './test-support.js';

/** Training columns out of the real DuckDB-WASM engine, in this process and through the worker thread. */

const column = (frame: Frame, name: string): FrameColumn => frame.columns.find((c) => c.name === name)!;

describe.each(ENGINE_TARGETS)('frames on $name', (target) => {
  let request: Request;
  let stop: () => Promise<void>;
  const dir = mkdtempSync(join(tmpdir(), 'orchard-frame-'));
  beforeAll(async () => {
    ({ request, stop } = await target.start());
    await request('open', { table: 'titanic', fileName: 'titanic.csv', format: 'csv', source: { kind: 'path', path: join(DATASETS, 'titanic.csv') } });
    const texts = ['a,when,note', ...Array.from({ length: 40 }, (_, i) => `${i % 3 === 0 ? '' : i},2024-01-${String((i % 28) + 1).padStart(2, '0')},"message number ${i} says something long enough"`)];
    writeFileSync(join(dir, 'mixed.csv'), texts.join('\n'));
    await request('open', { table: 'mixed', fileName: 'mixed.csv', format: 'csv', source: { kind: 'path', path: join(dir, 'mixed.csv') } });
  }, 60_000);
  afterAll(() => stop());

  it('reads numbers with NaN for missing and categories as codes into sorted levels, in row order', async () => {
    const frame = await request('frame', { table: 'titanic', columns: [{ name: 'Age' }, { name: 'Sex' }, { name: 'Embarked' }, { name: 'Survived', type: 'category' }] });
    expect(frame.rowCount).toBe(891);
    const age = column(frame, 'Age');
    expect(age.type).toBe('number');
    if (age.type !== 'number') return;
    expect(age.values).toBeInstanceOf(Float64Array);
    expect(Array.from(age.values.slice(0, 6))).toEqual([22, 38, 26, 35, 35, Number.NaN]);
    expect(age.values.filter(Number.isNaN).length).toBe(177);
    const sex = column(frame, 'Sex');
    if (sex.type !== 'category') throw new Error('Sex should be a category');
    expect(sex.levels).toEqual(['female', 'male']);
    expect(Array.from(sex.codes.slice(0, 4))).toEqual([1, 0, 0, 0]);
    const embarked = column(frame, 'Embarked');
    if (embarked.type !== 'category') throw new Error('Embarked should be a category');
    expect(embarked.levels).toEqual(['C', 'Q', 'S']);
    expect(embarked.codes.filter((c) => c === -1).length).toBe(2);
    const survived = column(frame, 'Survived');
    if (survived.type !== 'category') throw new Error('Survived should be a category');
    expect(survived.levels).toEqual(['0', '1']);
    expect(survived.codes.reduce((a, b) => a + b, 0)).toBe(342);
  });

  it('reads dates as epoch milliseconds and long distinct strings as text', async () => {
    const frame = await request('frame', { table: 'mixed', columns: [{ name: 'a' }, { name: 'when' }, { name: 'note' }] });
    const when = column(frame, 'when');
    expect(when.type).toBe('datetime');
    if (when.type === 'datetime') expect(when.values[0]).toBe(Date.UTC(2024, 0, 1));
    const note = column(frame, 'note');
    expect(note.type).toBe('text');
    if (note.type === 'text') expect(note.values[1]).toBe('message number 1 says something long enough');
    const a = column(frame, 'a');
    if (a.type !== 'number') throw new Error('a should be a number');
    expect(Number.isNaN(a.values[0])).toBe(true);
    expect(a.values[1]).toBe(1);
  });

  it('names a column that does not exist', async () => {
    await expect(request('frame', { table: 'titanic', columns: [{ name: 'Nope' }] })).rejects.toThrow('titanic has no column named "Nope"');
  });
});
