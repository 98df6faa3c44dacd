import { spawn } from 'node:child_process';
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readDocument } from '../../shared/schema/document.js';
import { projectDocument } from '../../shared/schema/project.js';
import { removeStaleTempFiles, tempFileFor, writeFileAtomic, writeJsonAtomic } from './atomic.js';
import { bigProject } from './fixtures/big-project.js';
import { tempFolder } from './fixtures/test-workspace.js';

let folder: Awaited<ReturnType<typeof tempFolder>>;
beforeEach(async () => {
  folder = await tempFolder();
});
afterEach(async () => {
  await folder.remove();
});

const writer = fileURLToPath(new URL('./fixtures/atomic-writer.ts', import.meta.url));
const text = (doc: unknown): string => JSON.stringify(doc, null, 2) + '\n';

/** Starts the writer, waits until it is saving, lets it run `ms` more, then kills it with SIGKILL. */
async function killWriterAfter(target: string, ms: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', writer, target], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the writer stopped by itself (${code}): ${stderr}`)));
  });
  await new Promise((resolve) => setTimeout(resolve, ms));
  child.kill('SIGKILL');
  await exited;
}

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file', async () => {
    const target = join(folder.path, 'doc.json');
    await writeFileAtomic(target, 'first');
    await writeJsonAtomic(target, { second: true });
    expect(await readFile(target, 'utf8')).toBe('{\n  "second": true\n}\n');
    expect(await readdir(folder.path)).toEqual(['doc.json']);
  });

  it('leaves the old file and no temp file when the save fails', async () => {
    const target = join(folder.path, 'doc.json');
    await writeFileAtomic(target, 'old');
    // A folder where the file should go makes the final rename fail after the temp file was written.
    await mkdir(join(folder.path, 'blocked'));
    await expect(writeFileAtomic(join(folder.path, 'blocked'), 'new')).rejects.toThrow();
    expect(await readFile(target, 'utf8')).toBe('old');
    expect((await readdir(folder.path)).sort()).toEqual(['blocked', 'doc.json']);
  });

  it('removes only temp files older than the limit', async () => {
    const target = join(folder.path, 'project.json');
    const old = tempFileFor(target);
    const fresh = tempFileFor(target);
    await writeFile(old, 'half');
    await writeFile(fresh, 'half');
    await writeFile(join(folder.path, 'notes.tmp'), 'not ours');
    const hourAgo = new Date(Date.now() - 60 * 60_000);
    await utimes(old, hourAgo, hourAgo);
    expect(await removeStaleTempFiles(folder.path)).toHaveLength(1);
    expect((await readdir(folder.path)).sort()).toEqual([fresh.split(/[/\\]/).pop(), 'notes.tmp'].sort());
  });

  it('never leaves a half-written project.json when the saving process is killed', { timeout: 180_000 }, async () => {
    const target = join(folder.path, 'project.json');
    const versions = [text(bigProject(0)), text(bigProject(1)), text(bigProject(2))];
    expect(versions[1]!.length).toBeGreaterThan(3_000_000);
    await writeJsonAtomic(target, bigProject(0));
    let leftTemp = 0;
    for (let round = 0; round < 20; round++) {
      await killWriterAfter(target, Math.floor(Math.random() * 200));
      const saved = await readFile(target, 'utf8');
      expect(versions.includes(saved), `round ${round}: project.json is not one of the complete versions`).toBe(true);
      const doc = readDocument(projectDocument, JSON.parse(saved));
      expect(doc.datasets).toHaveLength(400);
      if ((await readdir(folder.path)).length > 1) leftTemp++;
    }
    // Most kills land mid-save (the writer spends its time writing), so temp files are left behind; the
    // cleanup clears them and leaves the document alone.
    expect(leftTemp).toBeGreaterThan(0);
    await removeStaleTempFiles(folder.path, 0);
    expect(await readdir(folder.path)).toEqual(['project.json']);
  });
});
