import type { Io } from './output.js';

/** What a command gets: its operands (after the command words), its options, the workspace and the streams. */
export interface CommandContext {
  operands: string[];
  options: ReadonlyMap<string, string | true>;
  /** Every value of options that may repeat (`--type`, `--missing`). */
  lists: ReadonlyMap<string, readonly string[]>;
  workspaceRoot: string;
  io: Io;
}

/** One `orchard …` command. `run` returns the exit status. */
export interface Command {
  /** The words that name it, e.g. ['project', 'create']. */
  words: string[];
  /** The operands it takes, in order, e.g. ['NAME']. */
  operands: string[];
  /** The options it accepts besides --workspace and --help (long names, without dashes). */
  options: string[];
  /** Options that take a value here although they are switches elsewhere (profile's `--json OUT`). */
  valueOptions?: string[];
  /** One line for the command list, e.g. 'Make an empty project'. */
  summary: string;
  /** Lines for its own --help, below the usage. */
  help: string[];
  run(ctx: CommandContext): Promise<number>;
}

/** `project create NAME [--json]`: the command's usage line, from its words, operands and options. */
export function usageOf(command: Command): string {
  const placeholders: Record<string, string> = { target: 'COL', task: 'TASK', model: 'MODEL', cv: 'K', seed: 'N', positive: 'CLASS' };
  const valued = (o: string): string | null =>
    placeholders[o] ?? (o === 'out' ? (command.operands.length > 1 ? 'OUT' : 'DIR') : o === 'html' || command.valueOptions?.includes(o) === true ? 'OUT' : null);
  const repeated: Record<string, string> = { type: '[--type COL=KIND ...]', missing: '[--missing TOKEN ...]' };
  const options = command.options.map((o) =>
    repeated[o] ?? (o === 'port' ? '[--port N]' : o === 'yes' ? '--yes' : valued(o) !== null ? `[--${o} ${valued(o)}]` : `[--${o}]`),
  );
  return ['orchard', ...command.words, ...command.operands, ...options].join(' ');
}
