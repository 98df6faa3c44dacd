import { readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';

/**
 * docs/benchmarks.md is written in sections, one per benchmark script, each between
 * `<!-- bench:NAME -->` and `<!-- /bench:NAME -->`, so running one script rewrites its own section and keeps the
 * others. Each section says when and on what it was measured.
 */

const DOC = new URL('../docs/benchmarks.md', import.meta.url);

export function machine(): string {
  return `${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
}

export async function writeSection(name: string, markdown: string): Promise<void> {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const stamped = `${start}\n_Measured by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: ${machine()}._\n\n${markdown.trim()}\n${end}`;
  let doc: string;
  try {
    doc = await readFile(DOC, 'utf8');
  } catch {
    doc = '# Benchmarks\n';
  }
  const at = doc.indexOf(start);
  const to = doc.indexOf(end);
  doc = at >= 0 && to > at ? doc.slice(0, at) + stamped + doc.slice(to + end.length) : `${doc.trimEnd()}\n\n${stamped}\n`;
  await writeFile(DOC, doc);
}
