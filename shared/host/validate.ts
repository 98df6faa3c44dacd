import { HostError } from './errors.js';

/**
 * A validator checks an unknown value and returns it typed, or throws an `invalid-argument` HostError that
 * names the offending path. Hosts run one on every argument: the renderer is untrusted input.
 */
export type Validator<T> = (value: unknown, path?: string) => T;

function fail(path: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value;
  throw new HostError('invalid-argument', `${path || 'argument'} must be ${expected} (got ${got}).`);
}

export const v = {
  string:
    (opts: { min?: number; max?: number } = {}): Validator<string> =>
    (value, path = '') => {
      if (typeof value !== 'string') fail(path, 'a string', value);
      if (opts.min !== undefined && value.length < opts.min) fail(path, `at least ${opts.min} characters`, value);
      if (opts.max !== undefined && value.length > opts.max) fail(path, `at most ${opts.max} characters`, value);
      return value;
    },
  number:
    (opts: { min?: number; max?: number; integer?: boolean } = {}): Validator<number> =>
    (value, path = '') => {
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'a finite number', value);
      if (opts.integer === true && !Number.isInteger(value)) fail(path, 'an integer', value);
      if (opts.min !== undefined && value < opts.min) fail(path, `>= ${opts.min}`, value);
      if (opts.max !== undefined && value > opts.max) fail(path, `<= ${opts.max}`, value);
      return value;
    },
  boolean: (): Validator<boolean> => (value, path = '') => {
    if (typeof value !== 'boolean') fail(path, 'true or false', value);
    return value;
  },
  literal:
    <const L extends readonly (string | number)[]>(...allowed: L): Validator<L[number]> =>
    (value, path = '') => {
      if (!allowed.includes(value as string | number)) fail(path, `one of ${allowed.join(', ')}`, value);
      return value as L[number];
    },
  array:
    <T>(item: Validator<T>, opts: { max?: number } = {}): Validator<T[]> =>
    (value, path = '') => {
      if (!Array.isArray(value)) fail(path, 'an array', value);
      if (opts.max !== undefined && value.length > opts.max) fail(path, `at most ${opts.max} items`, value);
      return value.map((x, i) => item(x, `${path}[${i}]`));
    },
  optional:
    <T>(inner: Validator<T>): Validator<T | undefined> =>
    (value, path = '') =>
      value === undefined ? undefined : inner(value, path),
  nullable:
    <T>(inner: Validator<T>): Validator<T | null> =>
    (value, path = '') =>
      value === null ? null : inner(value, path),
  /** An object with exactly these keys (extra keys are refused, so typos fail loudly). */
  object:
    <S extends Record<string, Validator<unknown>>>(shape: S): Validator<{ [K in keyof S]: ReturnType<S[K]> }> =>
    (value, path = '') => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
      const rec = value as Record<string, unknown>;
      for (const key of Object.keys(rec)) {
        if (!(key in shape)) throw new HostError('invalid-argument', `${path ? path + '.' : ''}${key} is not expected.`);
      }
      const out: Record<string, unknown> = {};
      for (const [key, check] of Object.entries(shape)) {
        const item = check(rec[key], path ? `${path}.${key}` : key);
        if (item !== undefined) out[key] = item;
      }
      return out as { [K in keyof S]: ReturnType<S[K]> };
    },
  /** An object used as a map: any keys (up to `max`), each value checked by `item`. */
  record:
    <T>(key: Validator<string>, item: Validator<T>, opts: { max?: number } = {}): Validator<Record<string, T>> =>
    (value, path = '') => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
      const entries = Object.entries(value as Record<string, unknown>);
      if (opts.max !== undefined && entries.length > opts.max) fail(path, `at most ${opts.max} entries`, value);
      const out: Record<string, T> = {};
      for (const [k, x] of entries) out[key(k, `${path}[key]`)] = item(x, `${path}.${k}`);
      return out;
    },
  /** A discriminated union on `kind`. */
  union:
    <S extends Record<string, Validator<object>>>(
      tag: string,
      variants: S,
    ): Validator<ReturnType<S[keyof S]>> =>
    (value, path = '') => {
      if (typeof value !== 'object' || value === null) fail(path, 'an object', value);
      const kind = (value as Record<string, unknown>)[tag];
      const check = typeof kind === 'string' && Object.hasOwn(variants, kind) ? variants[kind] : undefined;
      if (check === undefined) fail(path ? `${path}.${tag}` : tag, `one of ${Object.keys(variants).join(', ')}`, kind);
      return check(value, path) as ReturnType<S[keyof S]>;
    },
};
