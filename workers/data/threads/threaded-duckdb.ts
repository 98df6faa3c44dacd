import type { ArrowInsertOptions, DuckDBBindings, DuckDBConfig } from '@duckdb/duckdb-wasm/blocking';
import { RecordBatchReader, tableFromIPC, type Table } from 'apache-arrow';
import { CHUNK_BYTES, CHUNK_LENGTH, CONTROL_WORDS, DONE, FAILED, MORE, STATE, TOTAL_LENGTH, WAITING, type RelayRequest, type ThreadedBundle } from './protocol.js';

/** DuckDB's thread pool holds 4 workers; a query asking for more would wait on a thread that cannot start. */
export const MAX_THREADS = 4;

/** The relay worker as its starter sees it: a browser Worker, or a Node worker thread (threads.node.ts). */
export interface RelayPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  /** Listens for the relay's messages (only its start-up answer); returns the way to stop listening. */
  onMessage(listener: (message: unknown) => void): () => void;
  /** Listens for the relay failing; returns the way to stop listening. */
  onError(listener: (message: string) => void): () => void;
  terminate(): void;
}

/**
 * DuckDB's threaded build with the blocking API the data engine is written against: each call posts one request
 * to the relay worker (relay.ts) and waits for its answer in shared memory. Only the calls the engine makes
 * are here (`ThreadedDuckDB` stands in for `DuckDBBindings`, `ThreadedConnection` for `DuckDBConnection`).
 */
export class ThreadedDuckDB {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly data = new Uint8Array(new SharedArrayBuffer(CHUNK_BYTES));
  private readonly decoder = new TextDecoder();

  private constructor(private readonly relay: RelayPort) {}

  /**
   * Starts DuckDB's threads (`threads` of them for each query) in the relay. Waited for without blocking: the
   * workers it starts may need this thread's event loop.
   */
  static async start(relay: RelayPort, urls: ThreadedBundle, threads: number): Promise<ThreadedDuckDB> {
    const db = new ThreadedDuckDB(relay);
    const unlisten: (() => void)[] = [];
    const started = new Promise<void>((resolve, reject) => {
      unlisten.push(
        relay.onMessage((message) => {
          const answer = message as { ready: boolean; error?: string };
          if (answer.ready) resolve();
          else reject(new Error(`DuckDB's threaded build did not start: ${answer.error ?? 'no reason given'}`));
        }),
        relay.onError((message) => reject(new Error(`DuckDB's threaded build did not start: ${message}`))),
      );
    });
    relay.postMessage({ op: 'init', control: db.control.buffer as SharedArrayBuffer, data: db.data.buffer as SharedArrayBuffer, urls, threads } satisfies RelayRequest);
    try {
      await started;
    } catch (err) {
      relay.terminate();
      throw err;
    } finally {
      for (const stop of unlisten) stop();
    }
    return db;
  }

  /** Stops the relay and DuckDB's threads with it. */
  terminate(): void {
    this.relay.terminate();
  }

  /** Posts a request and waits for the whole answer. A failed request throws DuckDB's message. */
  call(request: RelayRequest, transfer: ArrayBuffer[] = []): Uint8Array {
    Atomics.store(this.control, STATE, WAITING);
    this.relay.postMessage(request, transfer);
    let answer: Uint8Array | null = null;
    let at = 0;
    for (;;) {
      Atomics.wait(this.control, STATE, WAITING);
      const state = Atomics.load(this.control, STATE);
      if (state === WAITING) continue;
      const length = Atomics.load(this.control, CHUNK_LENGTH);
      answer ??= new Uint8Array(Atomics.load(this.control, TOTAL_LENGTH));
      answer.set(this.data.subarray(0, length), at);
      at += length;
      Atomics.store(this.control, STATE, WAITING);
      if (state === MORE) {
        Atomics.notify(this.control, STATE);
        continue;
      }
      if (state === FAILED) throw new Error(this.decoder.decode(answer));
      if (state === DONE) return answer;
    }
  }

  private text(request: RelayRequest): string {
    return this.decoder.decode(this.call(request));
  }

  open(config: DuckDBConfig): void {
    this.call({ op: 'open', config });
  }

  getVersion(): string {
    return this.text({ op: 'version' });
  }

  connect(): ThreadedConnection {
    return new ThreadedConnection(this, Number(this.text({ op: 'connect' })));
  }

  registerFileBuffer(name: string, bytes: Uint8Array): void {
    const own = bytes.slice();
    this.call({ op: 'register', name, bytes: own }, [own.buffer as ArrayBuffer]);
  }

  dropFile(name: string): void {
    this.call({ op: 'drop', name });
  }

  /** What the engine's type asks for; the cast is safe for the calls above, the only ones it makes. */
  asBindings(): DuckDBBindings {
    return this as unknown as DuckDBBindings;
  }
}

export class ThreadedConnection {
  constructor(
    private readonly db: ThreadedDuckDB,
    private readonly id: number,
  ) {}

  query(sql: string): Table {
    return tableFromIPC(this.db.call({ op: 'query', conn: this.id, sql }));
  }

  /** A streamed result, read batch by batch as the caller iterates (as the blocking connection's `send`). */
  send(sql: string): RecordBatchReader {
    const db = this.db;
    const conn = this.id;
    const header = db.call({ op: 'start', conn, sql });
    function* messages(): Generator<Uint8Array> {
      yield header;
      for (;;) {
        const next = db.call({ op: 'fetch', conn });
        if (next.byteLength === 0) return;
        yield next;
      }
    }
    return RecordBatchReader.from(messages());
  }

  insertArrowFromIPCStream(ipc: Uint8Array, options: ArrowInsertOptions): void {
    // A copy of its own, moved rather than cloned: `ipc` is often a view into a bigger buffer.
    const own = ipc.slice();
    this.db.call({ op: 'insert', conn: this.id, ipc: own, options }, [own.buffer as ArrayBuffer]);
  }

  /** Gives `callback` a stand-in for the bindings whose `runQuery` answers Arrow IPC bytes, as the blocking one does. */
  useUnsafe<R>(callback: (bindings: DuckDBBindings, conn: number) => R): R {
    const runQuery = (conn: number, sql: string) => this.db.call({ op: 'query', conn, sql });
    return callback({ runQuery } as unknown as DuckDBBindings, this.id);
  }

  close(): void {
    this.db.call({ op: 'disconnect', conn: this.id });
  }
}
