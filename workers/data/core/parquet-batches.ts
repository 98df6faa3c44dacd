import { concatBytes } from '../../../shared/data/bytes.js';

/**
 * Writing a Parquet file batch by batch with parquet-wasm's streaming writer, so a big table never has to be one
 * Arrow IPC buffer (DuckDB's and parquet-wasm's memories both stop at 4 GB). The platform passes its own build
 * of parquet-wasm; the batches come from `next`, an Arrow IPC stream per call, null when there are no more.
 */

interface ParquetWasm<Batch, Props> {
  Table: { fromIPCStream(ipc: Uint8Array): { recordBatches(): Batch[]; free(): void } };
  transformParquetStream(stream: ReadableStream<Batch>, props?: Props): Promise<ReadableStream<Uint8Array>>;
}

export async function writeParquetBatches<Batch, Props>(wasm: ParquetWasm<Batch, Props>, next: () => Uint8Array | null, props: Props): Promise<Uint8Array> {
  const input = new ReadableStream<Batch>({
    pull(controller) {
      const ipc = next();
      if (ipc === null) {
        controller.close();
        return;
      }
      // The batches share the table's buffers; freeing the table now lets each batch's memory go once written.
      const table = wasm.Table.fromIPCStream(ipc);
      const batches = table.recordBatches();
      table.free();
      for (const batch of batches) controller.enqueue(batch);
    },
  });
  const reader = (await wasm.transformParquetStream(input, props)).getReader();
  const parts: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    parts.push(value);
  }
  return concatBytes(parts);
}

interface ParquetFileClass {
  fromFile(file: Blob): Promise<{
    metadata(): { numRowGroups(): number };
    read(options: { rowGroups: number[] }): Promise<{ intoIPCStream(): Uint8Array }>;
    free(): void;
  }>;
}

/** Reads a Parquet file one row group at a time (DataPlatform.parquetRowGroups) with the platform's parquet-wasm. */
export async function readParquetRowGroups(ParquetFile: ParquetFileClass, bytes: Uint8Array): Promise<{ count: number; read(index: number): Promise<Uint8Array>; close(): void }> {
  // A Blob lets the reader copy in only the byte ranges of the row group it decodes.
  const file = await ParquetFile.fromFile(new Blob([bytes as Uint8Array<ArrayBuffer>]));
  return {
    count: file.metadata().numRowGroups(),
    read: async (index) => (await file.read({ rowGroups: [index] })).intoIPCStream(),
    close: () => file.free(),
  };
}
