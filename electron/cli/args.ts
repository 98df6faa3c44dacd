/**
 * The command line, parsed without a library: words (the command and its arguments, in order) and options.
 * Every option Orchard knows is listed here; each command then says which of them it accepts. `--` ends the
 * options, so a project named "-x" can still be given.
 */

/** A mistake in how the command was typed: the CLI prints it and exits with status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** `list` options may be given more than once, and take the next word as is (`--missing -999`). */
type OptionKind = 'switch' | 'value' | 'list';

export const OPTIONS: Readonly<Record<string, OptionKind>> = {
  workspace: 'value',
  help: 'switch',
  version: 'switch',
  json: 'switch',
  yes: 'switch',
  port: 'value',
  'no-open': 'switch',
  type: 'list',
  missing: 'list',
  target: 'value',
  html: 'value',
  task: 'value',
  model: 'value',
  cv: 'value',
  seed: 'value',
  out: 'value',
  positive: 'value',
};

const SHORT: Readonly<Record<string, string>> = { h: 'help' };

export interface CommandLine {
  words: string[];
  /** Options given, by long name: a switch is `true`, a value option its text. */
  options: Map<string, string | true>;
  /** Every value of each `list` option, in order. */
  lists: Map<string, string[]>;
}

/** `valued` names switches that take a value in the command at hand (`orchard profile … --json OUT`). */
export function parseCommandLine(argv: readonly string[], valued: readonly string[] = []): CommandLine {
  const words: string[] = [];
  const options = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const token = argv[i] as string;
    if (token === '--') {
      words.push(...argv.slice(i + 1));
      break;
    }
    if (token === '-' || !token.startsWith('-')) {
      words.push(token);
      continue;
    }
    const [flag, inlineValue] = splitInline(token);
    const name = optionName(flag);
    if (OPTIONS[name] === 'switch' && !valued.includes(name)) {
      if (inlineValue !== undefined) throw new UsageError(`--${name} takes no value`);
      options.set(name, true);
      continue;
    }
    let value = inlineValue;
    if (value === undefined) {
      const next = argv[i + 1];
      const takesAnyWord = OPTIONS[name] === 'list' && next !== undefined;
      if (!takesAnyWord && (next === undefined || (next.startsWith('-') && next !== '-'))) throw new UsageError(`--${name} needs a value`);
      value = next;
      i++;
    }
    options.set(name, value);
    if (OPTIONS[name] === 'list') lists.set(name, [...(lists.get(name) ?? []), value]);
  }
  return { words, options, lists };
}

function splitInline(token: string): [string, string | undefined] {
  const eq = token.indexOf('=');
  return eq > 0 && token.startsWith('--') ? [token.slice(0, eq), token.slice(eq + 1)] : [token, undefined];
}

function optionName(flag: string): string {
  const name = flag.startsWith('--') ? flag.slice(2) : (SHORT[flag.slice(1)] ?? '');
  if (!Object.hasOwn(OPTIONS, name)) throw new UsageError(`unknown option ${flag}`);
  return name;
}

/** A port number for `--port`, 0 meaning any free port. */
export function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`--port must be a number from 0 to 65535 (got "${text}")`);
  return port;
}
