import { appVersion } from '../services/app-folders.js';
import { resolveWorkspaceRoot } from '../services/workspace.js';
import { parseCommandLine, UsageError } from './args.js';
import { usageOf, type Command } from './command.js';
import { importCommand, infoCommand } from './dataset-commands.js';
import { processIo, type Io } from './output.js';
import { predictCommand } from './predict-command.js';
import { profileCommand } from './profile-command.js';
import { projectCommands } from './project-commands.js';
import { trainCommand } from './train-command.js';
import { webCommand } from './web-command.js';

/**
 * `orchard …`: the CLI host. Every command runs the same host services as the app, in this process.
 * Exit status: 0 done, 1 the operation failed (one line `orchard: <why>` on stderr), 2 the command was
 * mistyped. ORCHARD_DEBUG=1 adds the stack of an unexpected error.
 */

const COMMANDS: Command[] = [...projectCommands, importCommand, infoCommand, profileCommand, trainCommand, predictCommand, webCommand];
const GROUPS: Record<string, string> = { project: 'Make, list, rename and delete projects' };
const EVERYWHERE = ['workspace', 'help'];

export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  try {
    return await run(argv, io);
  } catch (err) {
    io.err(`orchard: ${describe(err)}`);
    return err instanceof UsageError ? 2 : 1;
  }
}

async function run(argv: readonly string[], io: Io): Promise<number> {
  const first = parseCommandLine(argv);
  // A command may take a value after an option that is a switch elsewhere (profile --json OUT): parse for it.
  const valued = COMMANDS.find((c) => c.words.every((w, i) => first.words[i] === w))?.valueOptions;
  const { words, options, lists } = valued === undefined ? first : parseCommandLine(argv, valued);
  const wantsHelp = options.has('help');
  if (words.length === 0) {
    if (options.has('version')) {
      io.out(`orchard ${appVersion()}`);
      return 0;
    }
    if (wantsHelp) return printHelp(io, mainHelp());
    throw new UsageError('no command given; run "orchard --help" to see the commands');
  }
  const group = words[0] as string;
  if (Object.hasOwn(GROUPS, group) && words.length === 1) {
    if (wantsHelp) return printHelp(io, groupHelp(group));
    throw new UsageError(`"orchard ${group}" needs a command: ${commandsIn(group).map((c) => c.words[1]).join(', ')}`);
  }
  const command = COMMANDS.find((c) => c.words.every((w, i) => words[i] === w));
  if (command === undefined) {
    const known = Object.hasOwn(GROUPS, group) ? `"orchard ${group} ${words[1] ?? ''}"` : `"${group}"`;
    throw new UsageError(`${known} is not a command; run "orchard --help" to see the commands`);
  }
  if (wantsHelp) return printHelp(io, commandHelp(command));
  const name = `"${command.words.join(' ')}"`;
  for (const option of options.keys()) {
    if (!EVERYWHERE.includes(option) && !command.options.includes(option)) throw new UsageError(`${name} does not take --${option}`);
  }
  const operands = words.slice(command.words.length);
  if (operands.length < command.operands.length) {
    throw new UsageError(`${name} needs ${command.operands.slice(operands.length).join(' and ')} (usage: ${usageOf(command)})`);
  }
  if (operands.length > command.operands.length) {
    throw new UsageError(`${name} takes ${command.operands.length || 'no'} argument${command.operands.length === 1 ? '' : 's'}, got "${operands.join(' ')}" (usage: ${usageOf(command)})`);
  }
  const workspace = options.get('workspace');
  const workspaceRoot = resolveWorkspaceRoot(typeof workspace === 'string' ? workspace : undefined);
  return command.run({ operands, options, lists, workspaceRoot, io });
}

function describe(err: unknown): string {
  const debug = process.env.ORCHARD_DEBUG === '1';
  if (err instanceof Error) return debug && err.stack !== undefined && !(err instanceof UsageError) ? err.stack : err.message;
  return String(err);
}

function printHelp(io: Io, lines: string[]): number {
  for (const line of lines) io.out(line);
  return 0;
}

function commandsIn(group: string): Command[] {
  return COMMANDS.filter((c) => c.words[0] === group && c.words.length > 1);
}

function commandList(commands: readonly Command[]): string[] {
  const usages = commands.map((c) => usageOf(c).replace(/^orchard /, ''));
  const width = Math.max(...usages.map((u) => u.length));
  return commands.map((c, i) => `  ${(usages[i] as string).padEnd(width)}  ${c.summary}`);
}

const OPTIONS_HELP = [
  'Options for every command:',
  '  --workspace DIR  The workspace folder (default: $ORCHARD_WORKSPACE, else ~/Orchard)',
  '  -h, --help       Show help',
];

function mainHelp(): string[] {
  return [
    `Orchard ${appVersion()}: a machine-learning studio that keeps everything on this computer.`,
    '',
    'Usage: orchard COMMAND [options]',
    '',
    'Commands:',
    ...commandList(COMMANDS),
    '',
    ...OPTIONS_HELP,
    '  --version        Show the version',
    '',
    'Run "orchard COMMAND --help" for more about one command.',
  ];
}

function groupHelp(group: string): string[] {
  return [`${GROUPS[group]}.`, '', `Usage: orchard ${group} COMMAND [options]`, '', 'Commands:', ...commandList(commandsIn(group)), '', ...OPTIONS_HELP];
}

function commandHelp(command: Command): string[] {
  return [`Usage: ${usageOf(command)}`, '', `${command.summary}.`, ...command.help, '', ...OPTIONS_HELP];
}
