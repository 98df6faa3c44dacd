import { describe, expect, it } from 'vitest';
import { parseCommandLine, parsePort, UsageError } from './args.js';

describe('parseCommandLine', () => {
  it('splits words from options wherever the options stand', () => {
    const { words, options } = parseCommandLine(['--workspace', '/ws', 'project', 'list', '--json']);
    expect(words).toEqual(['project', 'list']);
    expect(Object.fromEntries(options)).toEqual({ workspace: '/ws', json: true });
    expect(Object.fromEntries(parseCommandLine(['web', '--port=8080', '--no-open', '-h']).options)).toEqual({ port: '8080', 'no-open': true, help: true });
  });

  it('takes everything after -- as words', () => {
    expect(parseCommandLine(['project', 'create', '--', '-odd name', '--json']).words).toEqual(['project', 'create', '-odd name', '--json']);
  });

  it('refuses unknown options, missing values and values on switches', () => {
    expect(() => parseCommandLine(['--colour'])).toThrow(new UsageError('unknown option --colour'));
    expect(() => parseCommandLine(['-x'])).toThrow(UsageError);
    expect(() => parseCommandLine(['info', '--workspace'])).toThrow(new UsageError('--workspace needs a value'));
    expect(() => parseCommandLine(['--workspace', '--json'])).toThrow(UsageError);
    expect(() => parseCommandLine(['--json=yes'])).toThrow(new UsageError('--json takes no value'));
  });

  it('reads a port number', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('8080')).toBe(8080);
    for (const bad of ['', '-1', '65536', '80a', '1e3']) expect(() => parsePort(bad)).toThrow(UsageError);
  });
});
