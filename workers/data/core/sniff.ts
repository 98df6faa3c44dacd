import { HostError } from '../../../shared/host/errors.js';

/** How much of a file is looked at before DuckDB sees it. */
export const SNIFF_BYTES = 64 * 1024;

export interface CsvDialect {
  /** The text encoding; UTF-16 is turned into UTF-8 before DuckDB reads it. */
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin-1';
  /** Whether the file starts with a byte order mark. */
  bom: boolean;
  /** DuckDB's `compression` option; a gzipped CSV named `.csv` is read as such. */
  compression: 'none' | 'gzip';
}

const GZIP = [0x1f, 0x8b];
const UTF8_BOM = [0xef, 0xbb, 0xbf];
const UTF16LE_BOM = [0xff, 0xfe];
const UTF16BE_BOM = [0xfe, 0xff];
const PARQUET_MAGIC = [0x50, 0x41, 0x52, 0x31]; // "PAR1"

function startsWith(bytes: Uint8Array, prefix: readonly number[], at = 0): boolean {
  if (bytes.length < at + prefix.length) return false;
  return prefix.every((b, i) => bytes[at + i] === b);
}

export function badFile(message: string): HostError {
  return new HostError('bad-file', message);
}

/**
 * Decides, from the first bytes of a file that claims to be CSV, whether it is text and how DuckDB should read
 * it. Refuses binary files before DuckDB's sniffer turns them into one garbage column.
 * @param complete whether `head` is the whole file (so a cut-off UTF-8 sequence at its end is an error).
 */
export function sniffCsv(fileName: string, head: Uint8Array, complete: boolean): CsvDialect {
  if (startsWith(head, GZIP)) return { encoding: 'utf-8', bom: false, compression: 'gzip' };
  if (startsWith(head, UTF16LE_BOM)) return { encoding: 'utf-16le', bom: true, compression: 'none' };
  if (startsWith(head, UTF16BE_BOM)) return { encoding: 'utf-16be', bom: true, compression: 'none' };
  const bom = startsWith(head, UTF8_BOM);
  const text = bom ? head.subarray(3) : head;
  let controls = 0;
  for (const b of text) {
    if (b === 0) throw notText(fileName);
    // Tab, line feed, vertical tab, form feed and carriage return are normal in text; other C0 controls are not.
    if ((b < 0x20 && (b < 0x09 || b > 0x0d)) || b === 0x7f) controls++;
  }
  if (controls > text.length / 100) throw notText(fileName);
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(text, { stream: !complete });
    return { encoding: 'utf-8', bom, compression: 'none' };
  } catch {
    // Not UTF-8 but free of control bytes: almost always a Windows or ISO-8859 export. Latin-1 reads every byte.
    return { encoding: 'latin-1', bom: false, compression: 'none' };
  }
}

/** The text of (the start of) a file in its encoding, without a byte order mark. */
export function decodeText(bytes: Uint8Array, dialect: CsvDialect): string {
  const label = dialect.encoding === 'latin-1' ? 'latin1' : dialect.encoding;
  // TextDecoder drops a BOM by itself.
  return new TextDecoder(label).decode(bytes);
}

/** How an encoding is named to an analyst. */
export function encodingName(dialect: CsvDialect): string {
  const names = { 'utf-8': 'UTF-8', 'utf-16le': 'UTF-16 LE', 'utf-16be': 'UTF-16 BE', 'latin-1': 'Latin-1' } as const;
  return `${names[dialect.encoding]}${dialect.bom && dialect.encoding === 'utf-8' ? ' with BOM' : ''}`;
}

function notText(fileName: string): HostError {
  return badFile(`${fileName} is not a text CSV file (it contains binary data).`);
}

/** Checks the signature a Parquet file starts (and, given the whole file, ends) with. */
export function checkParquetMagic(fileName: string, bytes: Uint8Array, complete: boolean): void {
  const ends = !complete || (bytes.length >= 12 && startsWith(bytes, PARQUET_MAGIC, bytes.length - 4));
  if (!startsWith(bytes, PARQUET_MAGIC) || !ends) {
    throw badFile(`${fileName} is not a valid Parquet file: it does not carry the Parquet signature (PAR1).`);
  }
}
