import type { HostEvents, ImportPhase } from '../../shared/host/contract.js';
export { formatBytes } from '../../shared/format.js';

/** Where the CLI writes: results to stdout, messages and progress to stderr. */
export interface Io {
  out(line: string): void;
  err(line: string): void;
  progress(event: HostEvents['import.progress']): void;
}

const PHASE_LABEL: Record<ImportPhase, string> = {
  upload: 'Uploading',
  copy: 'Copying',
  inspect: 'Reading the data',
  save: 'Saving',
};

let stdoutGuarded = false;

/** The process's own streams. Progress is drawn on one line, and only when stderr is a terminal. */
export function processIo(): Io {
  if (!stdoutGuarded) {
    stdoutGuarded = true;
    // `orchard project list | head -1` closes the pipe early: that is not an error.
    process.stdout.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw err;
    });
  }
  const live = process.stderr.isTTY === true;
  let shown = '';
  const clear = (): void => {
    if (shown !== '') process.stderr.write('\r\x1b[K');
    shown = '';
  };
  return {
    out: (line) => {
      clear();
      process.stdout.write(line + '\n');
    },
    err: (line) => {
      clear();
      process.stderr.write(line + '\n');
    },
    progress: ({ phase, fraction }) => {
      if (!live) return;
      const text = phase === 'copy' ? `${PHASE_LABEL[phase]} ${Math.round(fraction * 100)}%` : `${PHASE_LABEL[phase]}…`;
      if (text === shown) return;
      process.stderr.write('\r\x1b[K' + text);
      shown = text;
    },
  };
}

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** An ISO time as local `YYYY-MM-DD HH:MM`. */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

/** Left-aligned columns, two spaces apart. */
export function formatTable(rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

export function plural(n: number, one: string, many = one + 's'): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
