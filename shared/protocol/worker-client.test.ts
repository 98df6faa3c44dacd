import { describe, expect, it } from 'vitest';
import { HostError, serializeError } from '../host/errors.js';
import type { DataProgress } from './data-worker.js';
import { createDataWorkerClient, type WorkerPort } from './worker-client.js';

/** A port whose worker side is driven by the test: it sees what was posted and answers by hand. */
class ScriptedPort implements WorkerPort {
  readonly posted: { message: { id: number; type: string; args: unknown }; transfer: ArrayBuffer[] }[] = [];
  terminated = 0;
  private message: (m: unknown) => void = () => undefined;
  private error: (e: Error) => void = () => undefined;
  private exit: (code: number) => void = () => undefined;

  postMessage(message: unknown, transfer?: ArrayBuffer[]): void {
    this.posted.push({ message: message as { id: number; type: string; args: unknown }, transfer: transfer ?? [] });
  }
  onMessage(listener: (m: unknown) => void): void {
    this.message = listener;
  }
  onError(listener: (e: Error) => void): void {
    this.error = listener;
  }
  onExit(listener: (code: number) => void): void {
    this.exit = listener;
  }
  terminate(): void {
    this.terminated++;
  }

  idOf(type: string): number {
    const found = this.posted.find((p) => p.message.type === type);
    if (found === undefined) throw new Error(`nothing posted for ${type}`);
    return found.message.id;
  }
  reply(message: unknown): void {
    this.message(message);
  }
  crash(error: Error): void {
    this.error(error);
  }
  exitWith(code: number): void {
    this.exit(code);
  }
}

function setup() {
  const port = new ScriptedPort();
  return { port, client: createDataWorkerClient(port) };
}

describe('WorkerClient', () => {
  it('sends id, type and args, transfers the buffers given, and resolves with the typed result', async () => {
    const { port, client } = setup();
    const bytes = new Uint8Array([1, 2, 3]);
    const source = { kind: 'bytes' as const, bytes };
    const opening = client.request('open', { table: 't', fileName: 'a.csv', format: 'csv', source }, { transfer: [bytes.buffer] });
    expect(port.posted[0]?.message).toMatchObject({ type: 'open', args: { table: 't' } });
    expect(port.posted[0]?.transfer).toEqual([bytes.buffer]);
    port.reply({ id: port.idOf('open'), kind: 'ok', result: { table: 't', rows: 2, columns: [] } });
    await expect(opening).resolves.toEqual({ table: 't', rows: 2, columns: [] });
  });

  it('routes progress to the request it belongs to, before that request settles', async () => {
    const { port, client } = setup();
    const seen: string[] = [];
    const a = client.request('page', { table: 'a', offset: 0, limit: 1 }, { onProgress: (p: DataProgress) => seen.push(`a:${p.phase}`) });
    const b = client.request('page', { table: 'b', offset: 0, limit: 1 }, { onProgress: (p: DataProgress) => seen.push(`b:${p.phase}`) });
    const [idA, idB] = port.posted.map((p) => p.message.id);
    port.reply({ id: idB, kind: 'progress', progress: { phase: 'parse', fraction: null } });
    port.reply({ id: idA, kind: 'progress', progress: { phase: 'read', fraction: 0.5 } });
    port.reply({ id: idA, kind: 'ok', result: { offset: 0, rows: [] } });
    port.reply({ id: idA, kind: 'progress', progress: { phase: 'late', fraction: 1 } });
    port.reply({ id: idB, kind: 'ok', result: { offset: 0, rows: [[1]] } });
    await expect(a).resolves.toEqual({ offset: 0, rows: [] });
    await expect(b).resolves.toEqual({ offset: 0, rows: [[1]] });
    expect(seen).toEqual(['b:parse', 'a:read']);
  });

  it('rebuilds errors: a bad-file HostError arrives as a HostError with that code', async () => {
    const { port, client } = setup();
    const opening = client.request('close', { table: 't' });
    port.reply({ id: port.idOf('close'), kind: 'error', error: serializeError(new HostError('bad-file', 'x.csv is empty.')) });
    const err = await opening.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HostError);
    expect(err).toMatchObject({ code: 'bad-file', message: 'x.csv is empty.' });
  });

  it('keeps the name of plain errors', async () => {
    const { port, client } = setup();
    const paging = client.request('page', { table: 't', offset: 0, limit: 1 });
    port.reply({ id: port.idOf('page'), kind: 'error', error: { name: 'NotInitialised', message: 'send init first' } });
    await expect(paging).rejects.toMatchObject({ name: 'NotInitialised', message: 'send init first' });
  });

  it('never resolves undefined: an ok without a result is an error', async () => {
    const { port, client } = setup();
    const closing = client.request('close', { table: 't' });
    port.reply({ id: port.idOf('close'), kind: 'ok' });
    await expect(closing).rejects.toMatchObject({ code: 'internal' });
  });

  it('ignores replies for unknown ids and messages of the wrong shape', async () => {
    const { port, client } = setup();
    const closing = client.request('close', { table: 't' });
    port.reply({ id: 999, kind: 'ok', result: { closed: true } });
    port.reply(null);
    port.reply('hello');
    port.reply({ id: port.idOf('close'), kind: 'ok', result: { closed: false } });
    await expect(closing).resolves.toEqual({ closed: false });
  });

  it('rejects every pending request when the worker exits, and refuses new ones', async () => {
    const { port, client } = setup();
    const a = client.request('page', { table: 'a', offset: 0, limit: 1 });
    const b = client.request('close', { table: 'b' });
    port.exitWith(1);
    await expect(a).rejects.toThrow(/stopped unexpectedly \(exit code 1\).*"page"/);
    await expect(b).rejects.toThrow(/"close"/);
    expect(client.closed).toBe(true);
    await expect(client.request('init', {})).rejects.toMatchObject({ code: 'internal' });
  });

  it('treats an uncaught worker error as fatal: pending requests reject and the worker is stopped', async () => {
    const { port, client } = setup();
    const a = client.request('init', {});
    port.crash(new Error('wasm abort'));
    await expect(a).rejects.toThrow(/data worker failed: wasm abort/);
    expect(port.terminated).toBe(1);
  });

  it('terminate() rejects pending requests as cancelled and is safe to repeat', async () => {
    const { port, client } = setup();
    const a = client.request('page', { table: 'a', offset: 0, limit: 1 });
    await client.terminate();
    await client.terminate();
    await expect(a).rejects.toMatchObject({ code: 'cancelled' });
    expect(port.terminated).toBe(2);
    port.exitWith(0);
    await expect(client.request('init', {})).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('cancels one request through its signal: rejects it at once and asks the worker to stop it', async () => {
    const { port, client } = setup();
    const controller = new AbortController();
    const report = client.request('profile', { table: 't', target: null }, { signal: controller.signal });
    const other = client.request('page', { table: 't', offset: 0, limit: 1 });
    const id = port.idOf('profile');
    controller.abort();
    await expect(report).rejects.toMatchObject({ code: 'cancelled', message: '"profile" was cancelled.' });
    expect(port.posted.at(-1)?.message).toEqual({ type: 'cancel', request: id });
    // The worker's late answer to the cancelled request is ignored; the others are untouched.
    port.reply({ id, kind: 'error', error: serializeError(new HostError('cancelled', 'The quality report was cancelled.')) });
    port.reply({ id: port.idOf('page'), kind: 'ok', result: { offset: 0, rows: [] } });
    await expect(other).resolves.toEqual({ offset: 0, rows: [] });
    await expect(client.request('init', {}, { signal: controller.signal })).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('rejects a request whose message cannot be posted', async () => {
    const port = new ScriptedPort();
    port.postMessage = () => {
      throw new Error('DataCloneError');
    };
    const client = createDataWorkerClient(port);
    await expect(client.request('init', {})).rejects.toThrow('DataCloneError');
    expect(client.closed).toBe(false);
  });
});
