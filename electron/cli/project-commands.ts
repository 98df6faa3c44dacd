import { UsageError } from './args.js';
import { withCliHost } from './cli-host.js';
import type { Command } from './command.js';
import { formatTable, formatTime, plural } from './output.js';

const create: Command = {
  words: ['project', 'create'],
  operands: ['NAME'],
  options: [],
  summary: 'Make an empty project',
  help: ['Makes a folder named NAME in the workspace. Names that differ only in case count as the same.'],
  run: ({ operands: [name = ''], workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const doc = await host.handlers['projects.create']({ name });
      io.out(`Created project "${doc.name}" in ${workspaceRoot}.`);
      return 0;
    }),
};

const list: Command = {
  words: ['project', 'list'],
  operands: [],
  options: ['json'],
  summary: 'List the projects in the workspace',
  help: ['Newest change first. --json prints the list as JSON.'],
  run: ({ options, workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const projects = await host.handlers['projects.list']({});
      if (options.has('json')) {
        io.out(JSON.stringify(projects, null, 2));
      } else if (projects.length === 0) {
        io.out(`No projects in ${workspaceRoot} yet. Make one with: orchard project create NAME`);
      } else {
        const rows = projects.map((p) => [p.name + (p.sample ? ' (sample)' : ''), plural(p.datasetCount, 'dataset'), formatTime(p.updatedAt)]);
        for (const line of formatTable([['NAME', 'DATASETS', 'CHANGED'], ...rows])) io.out(line);
      }
      return 0;
    }),
};

const rename: Command = {
  words: ['project', 'rename'],
  operands: ['OLD', 'NEW'],
  options: [],
  summary: 'Rename a project',
  help: ['Renames the project\'s folder and its document. Refused if NEW is taken.'],
  run: ({ operands: [name = '', newName = ''], workspaceRoot, io }) =>
    withCliHost(workspaceRoot, io, async (host) => {
      const doc = await host.handlers['projects.rename']({ name, newName });
      io.out(`Renamed "${name}" to "${doc.name}".`);
      return 0;
    }),
};

const remove: Command = {
  words: ['project', 'delete'],
  operands: ['NAME'],
  options: ['yes'],
  summary: 'Delete a project and every file in it',
  help: ['Removes the project\'s folder with all its datasets. --yes confirms; without it nothing is deleted.'],
  run: ({ operands: [name = ''], options, workspaceRoot, io }) => {
    if (!options.has('yes')) {
      throw new UsageError(`deleting "${name}" removes its folder and every dataset in it; add --yes to confirm`);
    }
    return withCliHost(workspaceRoot, io, async (host) => {
      const { deleted } = await host.handlers['projects.delete']({ name });
      io.out(`Deleted project "${deleted}".`);
      return 0;
    });
  },
};

export const projectCommands: Command[] = [create, list, rename, remove];
