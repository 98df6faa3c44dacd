import { HostError } from '../host/errors.js';
import type { Validator } from '../host/validate.js';

/**
 * A persisted document kind: its current `schemaVersion`, the migrations that lift each older version by one,
 * and the validator of the current shape. Every JSON file Orchard writes goes through one of these, so an old
 * project keeps opening and a file from a newer Orchard is refused rather than misread.
 */
export interface DocumentKind<T extends { schemaVersion: number }> {
  readonly kind: string;
  readonly version: T['schemaVersion'];
  /** migrations[i] turns a version i+1 document into a version i+2 document. */
  readonly migrations: readonly ((doc: Record<string, unknown>) => Record<string, unknown>)[];
  readonly validate: Validator<T>;
}

export function defineDocument<T extends { schemaVersion: number }>(kind: DocumentKind<T>): DocumentKind<T> {
  if (kind.migrations.length !== kind.version - 1) {
    throw new Error(`${kind.kind}: version ${kind.version} needs ${kind.version - 1} migrations`);
  }
  return kind;
}

/** Reads any known version of a document, migrates it to the current one and validates it. */
export function readDocument<T extends { schemaVersion: number }>(kind: DocumentKind<T>, raw: unknown): T {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new HostError('bad-file', `This ${kind.kind} file is not a JSON object.`);
  }
  let doc = raw as Record<string, unknown>;
  const version = doc.schemaVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new HostError('bad-file', `This ${kind.kind} file has no valid schemaVersion.`);
  }
  if (version > kind.version) {
    throw new HostError(
      'not-supported',
      `This ${kind.kind} was saved by a newer Orchard (format ${version}; this one reads up to ${kind.version}).`,
    );
  }
  for (let at = version; at < kind.version; at++) {
    const migrate = kind.migrations[at - 1];
    if (migrate === undefined) throw new Error(`${kind.kind}: no migration from version ${at}`);
    doc = { ...migrate(doc), schemaVersion: at + 1 };
  }
  try {
    return kind.validate(doc);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new HostError('bad-file', `This ${kind.kind} file is damaged: ${why}`);
  }
}
