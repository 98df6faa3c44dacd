import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostError } from '../../shared/host/errors.js';
import { tempFolder } from './fixtures/test-workspace.js';
import { stageUpload } from './uploads.js';
import { Workspace } from './workspace.js';

let folder: Awaited<ReturnType<typeof tempFolder>>;
let staging: string;
beforeEach(async () => {
  folder = await tempFolder();
  staging = join(folder.path, '.staging');
  await mkdir(staging);
});
afterEach(async () => {
  await folder.remove();
});

const failure = async (promise: Promise<unknown>): Promise<HostError> => {
  try {
    await promise;
  } catch (err) {
    return err as HostError;
  }
  throw new Error('expected the call to fail');
};

describe('stageUpload', () => {
  it('streams the body into the staging folder under a new id', async () => {
    const chunks = [Buffer.from('a,b\n'), Buffer.from('1,2\n')];
    const { uploadId } = await stageUpload(staging, Readable.from(chunks), 'x.csv', 8);
    expect(uploadId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await readFile(join(staging, uploadId), 'utf8')).toBe('a,b\n1,2\n');
  });

  it('refuses a body longer or shorter than announced and keeps nothing', async () => {
    const longer = await failure(stageUpload(staging, Readable.from([Buffer.alloc(10)]), 'x.csv', 4));
    expect(longer.message).toBe('The upload of x.csv is larger than announced (4 bytes).');
    const shorter = await failure(stageUpload(staging, Readable.from([Buffer.alloc(3)]), 'x.csv', 4));
    expect(shorter.message).toBe('The upload of x.csv ended early: 3 of 4 bytes arrived.');
    expect(await readdir(staging)).toEqual([]);
  });

  it('keeps nothing when the connection drops', async () => {
    const body = new PassThrough();
    const staged = stageUpload(staging, body, 'x.csv');
    body.write(Buffer.alloc(100));
    body.destroy(new Error('socket hang up'));
    await expect(staged).rejects.toThrow();
    expect(await readdir(staging)).toEqual([]);
  });

  it('removes staged files older than a day when the workspace opens', async () => {
    await writeFile(join(staging, 'old-upload'), 'x');
    await writeFile(join(staging, 'new-upload'), 'x');
    const twoDaysAgo = new Date(Date.now() - 2 * 24 * 60 * 60_000);
    await utimes(join(staging, 'old-upload'), twoDaysAgo, twoDaysAgo);
    await new Workspace(folder.path, () => undefined).open();
    expect(await readdir(staging)).toEqual(['new-upload']);
  });
});
