import { HostError } from '../../host/errors.js';

/**
 * The expression language of derived columns, parsed here and evaluated column-at-a-time on Float64Arrays.
 * Nothing is ever handed to eval or `new Function`: text becomes a small tree of the node kinds below, and only
 * the functions listed in FUNCTIONS can be called.
 *
 *   expr       := comparison
 *   comparison := sum (( '<' | '<=' | '>' | '>=' | '==' | '!=' ) sum)*
 *   sum        := product (( '+' | '-' ) product)*
 *   product    := unary (( '*' | '/' ) unary)*
 *   unary      := '-' unary | power
 *   power      := atom ( '^' unary )?            (right-associative; -2^2 is -(2^2))
 *   atom       := number | column | '"' quoted column '"' | function '(' expr (',' expr)* ')' | '(' expr ')'
 *
 * Columns are numbers (or dates, as milliseconds); a comparison is 1 or 0; missing (NaN) propagates, and
 * `if(c, a, b)` is a where c is non-zero, b where c is 0, missing where c is missing.
 */

export type Expr =
  | { type: 'number'; value: number }
  | { type: 'column'; name: string }
  | { type: 'unary'; op: '-'; arg: Expr }
  | { type: 'binary'; op: BinaryOp; left: Expr; right: Expr }
  | { type: 'call'; fn: FunctionName; args: Expr[] };

type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '<=' | '>' | '>=' | '==' | '!=';
type FunctionName = 'log' | 'exp' | 'sqrt' | 'abs' | 'min' | 'max' | 'if';

/** The callable functions and how many arguments each takes. */
const FUNCTIONS: ReadonlyMap<string, { min: number; max: number }> = new Map([
  ['log', { min: 1, max: 1 }],
  ['exp', { min: 1, max: 1 }],
  ['sqrt', { min: 1, max: 1 }],
  ['abs', { min: 1, max: 1 }],
  ['min', { min: 2, max: 100 }],
  ['max', { min: 2, max: 100 }],
  ['if', { min: 3, max: 3 }],
]);

/** Names refused outright, so no expression can even spell a route to an object's prototype. */
const RESERVED: ReadonlySet<string> = new Set(['constructor', '__proto__', 'prototype']);

type Token =
  | { t: 'num'; value: number; at: number }
  | { t: 'id'; value: string; at: number; quoted: boolean }
  | { t: 'op'; value: string; at: number }
  | { t: 'end'; at: number };

function bad(message: string): never {
  throw new HostError('invalid-argument', message);
}

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if ((c >= '0' && c <= '9') || (c === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?/.exec(text.slice(i))!;
      out.push({ t: 'num', value: Number(m[0]), at: i });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(text.slice(i))!;
      out.push({ t: 'id', value: m[0], at: i, quoted: false });
      i += m[0].length;
    } else if (c === '"') {
      let j = i + 1;
      let value = '';
      while (j < text.length && text[j] !== '"') {
        if (text[j] === '\\' && j + 1 < text.length) j++;
        value += text[j];
        j++;
      }
      if (j >= text.length) bad(`The quoted column name at position ${i + 1} is not closed with ".`);
      out.push({ t: 'id', value, at: i, quoted: true });
      i = j + 1;
    } else {
      const two = text.slice(i, i + 2);
      if (two === '<=' || two === '>=' || two === '==' || two === '!=') {
        out.push({ t: 'op', value: two, at: i });
        i += 2;
      } else if ('+-*/^<>(),'.includes(c)) {
        out.push({ t: 'op', value: c, at: i });
        i++;
      } else {
        bad(`Unexpected character "${c}" at position ${i + 1}.`);
      }
    }
  }
  out.push({ t: 'end', at: text.length });
  return out;
}

/**
 * Parses an expression. `columns`, when given, are the column names it may use: any other name is refused, as
 * are the reserved names constructor, __proto__ and prototype and any function not in the list.
 */
export function parseExpression(text: string, columns?: readonly string[]): Expr {
  const known = columns ? new Set(columns) : undefined;
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token => tokens[pos]!;
  const isOp = (value: string): boolean => {
    const tok = peek();
    return tok.t === 'op' && tok.value === value;
  };
  const expectOp = (value: string): void => {
    if (!isOp(value)) bad(`Expected "${value}" at position ${peek().at + 1}.`);
    pos++;
  };

  const comparison = (): Expr => {
    let left = sum();
    for (;;) {
      const tok = peek();
      if (tok.t !== 'op' || !['<', '<=', '>', '>=', '==', '!='].includes(tok.value)) return left;
      pos++;
      left = { type: 'binary', op: tok.value as BinaryOp, left, right: sum() };
    }
  };
  const sum = (): Expr => {
    let left = product();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as { value: string }).value as BinaryOp;
      pos++;
      left = { type: 'binary', op, left, right: product() };
    }
    return left;
  };
  const product = (): Expr => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (peek() as { value: string }).value as BinaryOp;
      pos++;
      left = { type: 'binary', op, left, right: unary() };
    }
    return left;
  };
  const unary = (): Expr => {
    if (isOp('-')) {
      pos++;
      return { type: 'unary', op: '-', arg: unary() };
    }
    return power();
  };
  const power = (): Expr => {
    const base = atom();
    if (isOp('^')) {
      pos++;
      return { type: 'binary', op: '^', left: base, right: unary() };
    }
    return base;
  };
  const atom = (): Expr => {
    const tok = peek();
    if (tok.t === 'num') {
      pos++;
      return { type: 'number', value: tok.value };
    }
    if (tok.t === 'op' && tok.value === '(') {
      pos++;
      const inner = comparison();
      expectOp(')');
      return inner;
    }
    if (tok.t === 'id') {
      pos++;
      if (RESERVED.has(tok.value)) bad(`"${tok.value}" is a reserved name and cannot be used in an expression.`);
      if (!tok.quoted && isOp('(')) {
        const arity = FUNCTIONS.get(tok.value);
        if (arity === undefined) {
          bad(`Unknown function "${tok.value}" at position ${tok.at + 1}; the functions are ${[...FUNCTIONS.keys()].join(', ')}.`);
        }
        pos++;
        const args: Expr[] = [comparison()];
        while (isOp(',')) {
          pos++;
          args.push(comparison());
        }
        expectOp(')');
        if (args.length < arity.min || args.length > arity.max) {
          const want = arity.min === arity.max ? `${arity.min}` : `at least ${arity.min}`;
          bad(`${tok.value}() takes ${want} argument${arity.min === 1 ? '' : 's'}, not ${args.length}.`);
        }
        return { type: 'call', fn: tok.value as FunctionName, args };
      }
      if (known !== undefined && !known.has(tok.value)) bad(`Unknown column "${tok.value}" at position ${tok.at + 1}.`);
      return { type: 'column', name: tok.value };
    }
    if (tok.t === 'end') bad('The expression ends too early.');
    bad(`Unexpected "${tok.value}" at position ${tok.at + 1}.`);
  };

  if (text.trim() === '') bad('The expression is empty.');
  const tree = comparison();
  const rest = peek();
  if (rest.t !== 'end') bad(`Unexpected "${String(rest.value)}" at position ${rest.at + 1}.`);
  return tree;
}

/** The column names an expression reads, in order of first use. */
export function expressionColumns(expr: Expr): string[] {
  const out = new Set<string>();
  const walk = (e: Expr): void => {
    if (e.type === 'column') out.add(e.name);
    else if (e.type === 'unary') walk(e.arg);
    else if (e.type === 'binary') {
      walk(e.left);
      walk(e.right);
    } else if (e.type === 'call') e.args.forEach(walk);
  };
  walk(expr);
  return [...out];
}

type Value = number | Float64Array;

function map1(a: Value, n: number, f: (x: number) => number): Value {
  if (typeof a === 'number') return f(a);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = f(a[i]!);
  return out;
}

function map2(a: Value, b: Value, n: number, f: (x: number, y: number) => number): Value {
  if (typeof a === 'number' && typeof b === 'number') return f(a, b);
  const out = new Float64Array(n);
  if (typeof a === 'number') for (let i = 0; i < n; i++) out[i] = f(a, (b as Float64Array)[i]!);
  else if (typeof b === 'number') for (let i = 0; i < n; i++) out[i] = f(a[i]!, b);
  else for (let i = 0; i < n; i++) out[i] = f(a[i]!, b[i]!);
  return out;
}

const cmp = (test: (x: number, y: number) => boolean) => (x: number, y: number) =>
  Number.isNaN(x) || Number.isNaN(y) ? Number.NaN : test(x, y) ? 1 : 0;

const BINARY: Record<BinaryOp, (x: number, y: number) => number> = {
  '+': (x, y) => x + y,
  '-': (x, y) => x - y,
  '*': (x, y) => x * y,
  '/': (x, y) => x / y,
  '^': (x, y) => x ** y,
  '<': cmp((x, y) => x < y),
  '<=': cmp((x, y) => x <= y),
  '>': cmp((x, y) => x > y),
  '>=': cmp((x, y) => x >= y),
  '==': cmp((x, y) => x === y),
  '!=': cmp((x, y) => x !== y),
};

const UNARY_FN: Record<'log' | 'exp' | 'sqrt' | 'abs', (x: number) => number> = {
  log: Math.log,
  exp: Math.exp,
  sqrt: Math.sqrt,
  abs: Math.abs,
};

/**
 * Evaluates a parsed expression over `n` rows; `column(name)` gives a column's values. Infinite results (a
 * division by zero, the log of 0) become missing, so a derived column never holds an infinity.
 */
export function evaluateExpression(expr: Expr, column: (name: string) => Float64Array, n: number): Float64Array {
  const run = (e: Expr): Value => {
    switch (e.type) {
      case 'number':
        return e.value;
      case 'column':
        return column(e.name);
      case 'unary':
        return map1(run(e.arg), n, (x) => -x);
      case 'binary':
        return map2(run(e.left), run(e.right), n, BINARY[e.op]);
      case 'call': {
        const args = e.args.map(run);
        if (e.fn === 'min' || e.fn === 'max') {
          const pick = e.fn === 'min' ? Math.min : Math.max;
          return args.slice(1).reduce<Value>((acc, b) => map2(acc, b, n, pick), args[0]!);
        }
        if (e.fn === 'if') {
          const [c, a, b] = args as [Value, Value, Value];
          const out = new Float64Array(n);
          for (let i = 0; i < n; i++) {
            const ci = typeof c === 'number' ? c : c[i]!;
            out[i] = Number.isNaN(ci) ? Number.NaN : ci !== 0 ? (typeof a === 'number' ? a : a[i]!) : typeof b === 'number' ? b : b[i]!;
          }
          return out;
        }
        return map1(args[0]!, n, UNARY_FN[e.fn]);
      }
    }
  };
  const result = run(expr);
  const out = typeof result === 'number' ? new Float64Array(n).fill(result) : result;
  // A bare column reference returns the column itself: copy it so the derived column owns its values.
  const owned = expr.type === 'column' ? out.slice() : out;
  for (let i = 0; i < n; i++) if (!Number.isFinite(owned[i]!)) owned[i] = Number.NaN;
  return owned;
}
