import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempFolder } from '../services/fixtures/test-workspace.js';
import { DATASETS } from '../../test/team-files.js';
import type { DatasetRecord } from '../../shared/schema/project.js';

/** These tests run the real `orchard` command in a child process, on a temp workspace. */

const repo = fileURLToPath(new URL('../../', import.meta.url));
const bin = join(repo, 'bin', 'orchard.mjs');
const ADULT = join(DATASETS, 'adult.csv');
const TITANIC = join(DATASETS, 'titanic.csv');

let folder: Awaited<ReturnType<typeof tempFolder>>;
let workspace: string;
beforeEach(async () => {
  folder = await tempFolder('orchard-cli-');
  workspace = join(folder.path, 'workspace');
});
afterEach(async () => {
  await folder.remove();
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `orchard ARGS --workspace <temp>` from source (a stale build must not answer for the code under test). */
function orchard(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args, '--workspace', workspace],
      { cwd: folder.path, env: { ...process.env, ORCHARD_FROM_SOURCE: '1', ORCHARD_DEBUG: '' }, timeout: 170_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

const projectFolders = async (): Promise<string[]> => (await readdir(workspace)).filter((n) => !n.startsWith('.'));

describe('orchard project', { timeout: 90_000 }, () => {
  it('creates and lists projects', async () => {
    expect(await orchard('project', 'create', 'demo')).toEqual({ code: 0, stdout: `Created project "demo" in ${workspace}.\n`, stderr: '' });
    const list = await orchard('project', 'list');
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/^NAME +DATASETS +CHANGED\ndemo +0 datasets +\d{4}-\d\d-\d\d \d\d:\d\d\n$/);
    const json = await orchard('project', 'list', '--json');
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ name: 'demo', datasetCount: 0, sample: false })]);
  });

  it('refuses a duplicate name with one clear line and exit status 1', async () => {
    await orchard('project', 'create', 'demo');
    expect(await orchard('project', 'create', 'demo')).toEqual({ code: 1, stdout: '', stderr: 'orchard: A project named "demo" already exists.\n' });
    const cased = await orchard('project', 'create', 'DEMO');
    expect(cased.code).toBe(1);
    expect(cased.stderr).toMatch(/^orchard: "DEMO" is too close to the existing project "demo"[^\n]*\n$/);
    expect(await projectFolders()).toEqual(['demo']);
  });

  it('refuses a name with ../ and creates nothing', async () => {
    const run = await orchard('project', 'create', '../evil');
    expect(run.code).toBe(1);
    expect(run.stderr).toBe('orchard: "../evil" is not a valid project name: it may not contain "/", "\\" or "..".\n');
    expect(await projectFolders()).toEqual([]);
    expect((await readdir(folder.path)).sort()).toEqual(['workspace']);
  });

  it('renames and deletes, asking for --yes first', async () => {
    await orchard('project', 'create', 'demo');
    expect((await orchard('project', 'rename', 'demo', 'churn')).stdout).toBe('Renamed "demo" to "churn".\n');
    const unconfirmed = await orchard('project', 'delete', 'churn');
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toMatch(/add --yes to confirm/);
    expect(await projectFolders()).toEqual(['churn']);
    expect(await orchard('project', 'delete', 'churn', '--yes')).toEqual({ code: 0, stdout: 'Deleted project "churn".\n', stderr: '' });
    expect(await projectFolders()).toEqual([]);
    expect((await orchard('project', 'delete', 'churn', '--yes')).stderr).toBe('orchard: There is no project named "churn".\n');
  });
});

describe('orchard import', { timeout: 90_000 }, () => {
  it('explains a missing, empty or binary file and leaves the project unchanged', async () => {
    await orchard('project', 'create', 'demo');
    const doc = join(workspace, 'demo', 'project.json');
    const before = await readFile(doc);
    await writeFile(join(folder.path, 'empty.csv'), '');
    await writeFile(join(folder.path, 'picture.csv'), Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]), randomBytes(8192)]));
    const cases: [string, string][] = [
      ['missing.csv', `orchard: There is no file at ${join(folder.path, 'missing.csv')}.\n`],
      ['empty.csv', 'orchard: empty.csv is empty.\n'],
      ['picture.csv', 'orchard: picture.csv is not a text file: it contains binary data. Save it as CSV (UTF-8) and import that.\n'],
    ];
    for (const [file, message] of cases) {
      expect(await orchard('import', 'demo', file)).toEqual({ code: 1, stdout: '', stderr: message });
      expect((await readFile(doc)).equals(before)).toBe(true);
      expect(await readdir(join(workspace, 'demo', 'datasets')).catch(() => [])).toEqual([]);
    }
  });

  it(
    'imports adult.csv with the real data engine and reports it in info --json',
    { timeout: 120_000 },
    async () => {
      await orchard('project', 'create', 'demo');
      const started = Date.now();
      const run = await orchard('import', 'demo', ADULT);
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^Imported adult\.csv into "demo" as ds_[0-9a-f]{16}: 48,842 rows, 15 columns, /);
      expect(Date.now() - started).toBeLessThan(60_000);
      const info = await orchard('info', 'demo', '--json');
      expect(info.code).toBe(0);
      const report = JSON.parse(info.stdout) as {
        name: string;
        datasets: { rows: number; columns: { name: string; type: string; missing?: number }[]; sha256: string; sizeBytes: number; originalName: string; importedAt: string }[];
      };
      const bytes = await readFile(ADULT);
      expect(report.name).toBe('demo');
      expect(report.datasets).toHaveLength(1);
      const [adult] = report.datasets;
      expect(adult).toMatchObject({ rows: 48842, originalName: 'adult.csv', sizeBytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
      expect(adult?.columns).toHaveLength(15);
      expect(adult?.columns[0]).toEqual({ name: 'age', type: expect.stringMatching(/INT/), missing: 0 });
      // The default missing-value tokens include "?", which adult.csv uses.
      expect(adult?.columns.find((c) => c.name === 'workclass')).toMatchObject({ missing: 2799 });
      expect(Number.isNaN(Date.parse(adult?.importedAt ?? ''))).toBe(false);
      const human = await orchard('info', 'demo');
      expect(human.stdout).toMatch(/Rows +48,842/);
    },
  );
});

describe('orchard import options', { timeout: 90_000 }, () => {
  it('takes --type COL=KIND and --missing TOKEN, and refuses a mistyped --type', async () => {
    await orchard('project', 'create', 'typed');
    const run = await orchard('import', 'typed', TITANIC, '--type', 'Name=ignore', '--type', 'PassengerId=identifier', '--missing', '', '--missing', 'S', '--json');
    expect([run.stderr, run.code]).toEqual(['', 0]);
    const record = JSON.parse(run.stdout) as DatasetRecord;
    expect(record.columns.map((c) => c.name)).not.toContain('Name');
    expect(record.columns.find((c) => c.name === 'PassengerId')).toMatchObject({ type: 'VARCHAR', kind: 'identifier' });
    // "S" (Southampton, 644 passengers) is now a missing-value token, as are Embarked's 2 empty cells.
    expect(record.read).toMatchObject({ missingTokens: ['', 'S'], types: { Name: 'ignore', PassengerId: 'identifier' } });
    expect(record.columns.find((c) => c.name === 'Embarked')?.missing).toBe(646);
    const bad = await orchard('import', 'typed', TITANIC, '--type', 'Name=words');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--type needs COLUMN=KIND, KIND one of number, integer, category, boolean, datetime, text, identifier, ignore \(got "Name=words"\)/);
  });
});

describe('orchard usage', { timeout: 90_000 }, () => {
  it('prints help at every level and the version', async () => {
    const top = await orchard('--help');
    expect(top.code).toBe(0);
    expect(top.stdout).toMatch(/Usage: orchard COMMAND/);
    for (const words of [['project'], ['project', 'create'], ['import'], ['info'], ['web']]) {
      const help = await orchard(...words, '-h');
      expect(help.code, words.join(' ')).toBe(0);
      expect(help.stdout).toMatch(/^(Usage|Make)/);
    }
    const pkg = JSON.parse(await readFile(join(repo, 'package.json'), 'utf8')) as { version: string };
    expect((await orchard('--version')).stdout).toBe(`orchard ${pkg.version}\n`);
  });

  it('exits 2 with one line for a mistyped command', async () => {
    for (const args of [['bogus'], ['project'], ['project', 'create'], ['project', 'create', 'a', 'b'], ['project', 'list', '--yes'], ['info', 'x', '--colour'], []]) {
      const run = await orchard(...args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr, args.join(' ')).toMatch(/^orchard: [^\n]+\n$/);
    }
    expect(await projectFolders().catch(() => [])).toEqual([]);
  });

  it('takes the workspace from ORCHARD_WORKSPACE when --workspace is not given', async () => {
    const other = join(folder.path, 'from-env');
    await mkdir(other);
    const run = await new Promise<Run>((resolve) => {
      execFile(process.execPath, [bin, 'project', 'create', 'x'], { env: { ...process.env, ORCHARD_FROM_SOURCE: '1', ORCHARD_WORKSPACE: other } }, (err, stdout, stderr) =>
        resolve({ code: err === null ? 0 : 1, stdout, stderr }),
      );
    });
    expect(run).toEqual({ code: 0, stdout: `Created project "x" in ${other}.\n`, stderr: '' });
  });
});

describe('orchard train and predict', () => {
  it(
    'trains gradient boosting on adult.csv to a test AUC of at least 0.92 and scores the file with it',
    { timeout: 180_000 },
    async () => {
      const run = await orchard('train', ADULT, '--target', 'income', '--model', 'gbdt', '--out', 'run1', '--json');
      expect(run.code, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout) as {
        model: string;
        params: Record<string, unknown>;
        classes: string[];
        leaderboard: { model: string; cv: { mean: Record<string, number> } | null }[];
        metrics: { test: Record<string, number>; validation: Record<string, number> };
      };
      expect(result.model).toBe('gbdt');
      expect(result.params).toMatchObject({ nTrees: expect.any(Number), learningRate: expect.any(Number) });
      expect(result.classes).toEqual(['<=50K', '>50K']);
      expect(result.metrics.test.auc).toBeGreaterThanOrEqual(0.92);
      expect(result.metrics.test).toMatchObject({ accuracy: expect.any(Number), f1: expect.any(Number), log_loss: expect.any(Number) });
      expect(result.leaderboard[0]!.cv!.mean.auc).toBeGreaterThan(0.9);
      expect(run.stderr).toContain('Split stratified on income, seed 42: 34190 train, 7326 validation, 7326 test.');
      expect((await readdir(join(folder.path, 'run1'))).sort()).toEqual(['model.json', 'pipeline.json', 'run.json']);
      // Categories reach the trees as codes, split by sets of categories.
      expect(run.stderr).toContain('Categories are numbered (ordinal codes) for the boosted trees to split as categories.');
      const model = JSON.parse(await readFile(join(folder.path, 'run1', 'model.json'), 'utf8')) as { categoricalFeatures?: string[] };
      expect(model.categoricalFeatures).toEqual(expect.arrayContaining(['workclass', 'education', 'occupation', 'native-country']));

      const scored = await orchard('predict', 'run1', TITANIC, '--out', 'bad.csv');
      expect(scored.code).toBe(1);
      expect(scored.stderr).toMatch(/^orchard: titanic\.csv lacks columns the model needs: age, workclass, /);

      const predicted = await orchard('predict', 'run1', ADULT, '--out', 'preds.csv');
      expect(predicted.stderr).toContain('Scored 48,842 rows of adult.csv with the gbdt model');
      const lines = (await readFile(join(folder.path, 'preds.csv'), 'utf8')).trimEnd().split('\n');
      expect(lines[0]).toBe('predicted_income,p_<=50K,p_>50K');
      expect(lines).toHaveLength(48_843);
      const labels = (await readFile(ADULT, 'utf8')).trimEnd().split('\n').slice(1).map((l) => l.split(',').at(-1)!.trim());
      let right = 0;
      for (let i = 1; i < lines.length; i++) {
        const [label, p0, p1] = lines[i]!.split(',');
        expect(Math.abs(Number(p0) + Number(p1) - 1)).toBeLessThan(1e-9);
        if (label === labels[i - 1]) right++;
      }
      expect(right / 48_842).toBeGreaterThan(0.85);
    },
  );

  it('explains what is missing or wrong before training', { timeout: 60_000 }, async () => {
    expect(await orchard('train', ADULT, '--out', 'x')).toMatchObject({ code: 2, stderr: 'orchard: train needs --target\n' });
    expect(await orchard('train', ADULT, '--target', 'income', '--out', 'x', '--model', 'svm')).toMatchObject({ code: 2, stderr: expect.stringContaining('--model must be one of baseline, logreg') });
    const wrong = await orchard('train', TITANIC, '--target', 'Survive', '--out', 'x');
    expect(wrong.code).toBe(1);
    expect(wrong.stderr).toMatch(/^orchard: titanic\.csv has no column named "Survive"; its columns are PassengerId, Survived, /);
  });

  it('trains a linear regression without folds and prints a leaderboard', { timeout: 60_000 }, async () => {
    const run = await orchard('train', join(DATASETS, 'california_housing.csv'), '--target', 'median_house_value', '--model', 'linear', '--cv', '0', '--out', 'houses');
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^MODEL +RMSE \(CV\) +MAE \(CV\) +R2 \(CV\) +RMSE \(VAL\) +FIT S\nlinear +– +– +– +\d+\.\d{4} +\d+\.\d\n/);
    const r2 = Number(/Chosen: linear\. Test rmse [\d.]+, mae [\d.]+, r2 (\d+\.\d+)/.exec(run.stdout)?.[1]);
    expect(r2).toBeGreaterThan(0.6);
    expect(run.stderr).toContain('regression target median_house_value');
  });
});
