import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QualityReport } from '../../shared/data/report.js';
import { DATASETS } from '../../test/team-files.js';
import { tempFolder } from '../services/fixtures/test-workspace.js';

/** `orchard profile`: the real bin, from source, with the real data engine, on titanic.csv. */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin', 'orchard.mjs');
const TITANIC = join(DATASETS, 'titanic.csv');

let folder: Awaited<ReturnType<typeof tempFolder>>;
beforeAll(async () => {
  folder = await tempFolder('orchard-profile-');
});
afterAll(() => folder.remove());

function orchard(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: folder.path, env: { ...process.env, ORCHARD_FROM_SOURCE: '1', ORCHARD_DEBUG: '' }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : -1, stdout, stderr });
    });
  });
}

describe('orchard profile', { timeout: 90_000 }, () => {
  it('prints a summary of titanic.csv and writes the report as JSON and HTML', async () => {
    const run = await orchard('profile', TITANIC, '--target', 'Survived', '--json', 'report.json', '--html', 'report.html');
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^titanic\.csv: 891 rows × 12 columns, 0 duplicate rows, 866 missing cells, 58\.9 KB on disk, about [\d.]+ KB in memory\.$/);
    expect(run.stdout).toContain('Target Survived: 0 61.6% · 1 38.4%');
    expect(run.stdout).toMatch(/Warnings \(\d+\):\n {2}HIGH {3}PassengerId looks like an identifier/);
    expect(run.stdout).toMatch(/\nAge +numeric +177 \(19\.9%\) +88 +0\.42 … 80, mean 29\.7, median 28, std 14\.5, skew 0\.389\n/);
    expect(run.stdout).toMatch(/\nSex +categorical +0 +2 +male 64\.8%, female 35\.2%\n/);
    expect(run.stderr).toBe(`Wrote the JSON report to ${join(folder.path, 'report.json')}.\nWrote the HTML report to ${join(folder.path, 'report.html')}.\n`);

    const report = JSON.parse(await readFile(join(folder.path, 'report.json'), 'utf8')) as QualityReport;
    expect(report.dataset).toMatchObject({ rows: 891, fileBytes: 60302 });
    expect(report.targetAnalysis?.positive).toMatchObject({ value: '1', count: 342 });

    const html = await readFile(join(folder.path, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html.length).toBeLessThan(100_000);
    expect(html).not.toMatch(/<script|https?:\/\/|src=/i);
    for (const text of ['Quality report: titanic.csv', '<b>891</b>', 'Cabin is missing in 77.1% of rows (687)', 'Cramér', '<svg class="heatmap"']) expect(html).toContain(text);
  });

  it('refuses a missing file, an unknown target and a --json without a file', async () => {
    expect(await orchard('profile', join(folder.path, 'nope.csv'))).toMatchObject({ code: 1, stderr: expect.stringMatching(/^orchard: .*nope\.csv does not exist or is not a file\.\n$/) });
    expect(await orchard('profile', TITANIC, '--target', 'Nope')).toMatchObject({ code: 1, stderr: expect.stringMatching(/^orchard: titanic\.csv has no column named "Nope"; its columns are PassengerId, Survived, .*, Embarked\.\n$/) });
    expect(await orchard('profile', TITANIC, '--json')).toMatchObject({ code: 2, stderr: 'orchard: --json needs a value\n' });
    expect(await orchard('profile', 'photo.png')).toMatchObject({ code: 2 });
  });
});
