import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random.js';
import { checkLeakage, ID_NAME, type LeakageWarning } from './leakage.js';
import { trainingRows, type FrameColumn, type TrainingFrame } from './types.js';

const N = 200;
const DAY = 86_400_000;
const T0 = Date.UTC(2024, 0, 1);

const num = (name: string, values: number[]): FrameColumn => ({ name, type: 'number', values: Float64Array.from(values) });
const date = (name: string, values: number[]): FrameColumn => ({ name, type: 'datetime', values: Float64Array.from(values) });
const text = (name: string, values: (string | null)[]): FrameColumn => ({ name, type: 'text', values });
function cat(name: string, values: (string | null)[]): FrameColumn {
  const levels = [...new Set(values.filter((v): v is string => v !== null))].sort();
  return { name, type: 'category', levels, codes: Int32Array.from(values, (v) => (v === null ? -1 : levels.indexOf(v))) };
}
const frame = (...columns: FrameColumn[]): TrainingFrame => trainingRows({ rowCount: columns[0]!.type === 'category' ? columns[0]!.codes.length : columns[0]!.values.length, columns });

/** Seeded helpers: uniform, normal (Box–Muller) and a pick from a list. */
function rng(seed: number) {
  const r = mulberry32(seed);
  const uniform = (): number => r();
  const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  const pick = <T,>(items: T[]): T => items[Math.floor(r() * items.length)]!;
  return { uniform, normal, pick };
}

/** A churn table with ordinary features that do not leak: ~30% churned, events in time order. */
function churnTable(seed = 1) {
  const g = rng(seed);
  const churned = Array.from({ length: N }, () => (g.uniform() < 0.3 ? 'yes' : 'no'));
  const eventTime = Array.from({ length: N }, (_, i) => T0 + i * DAY);
  return {
    churned,
    eventTime,
    columns: [
      cat('churned', churned),
      num('age', Array.from({ length: N }, () => Math.round(40 + 12 * g.normal()))),
      cat('plan', Array.from({ length: N }, () => g.pick(['basic', 'plus', 'pro']))),
      num('monthly_spend', Array.from({ length: N }, (_, i) => (i % 17 === 0 ? NaN : 20 + 30 * g.uniform()))),
      date('signup_date', eventTime.map((t) => t - (30 + Math.floor(400 * g.uniform())) * DAY)),
      date('event_time', eventTime),
      text('city', Array.from({ length: N }, () => g.pick(['Lyon', 'Oslo', 'Porto', 'Graz', 'Turku', null]))),
    ],
    g,
  };
}

const kinds = (warnings: LeakageWarning[]): string[] => warnings.map((w) => `${w.column}:${w.kind}:${w.severity}`);

describe('checkLeakage: a clean frame', () => {
  it('has no warnings, with and without a time column', () => {
    const t = churnTable();
    const train = frame(...t.columns);
    expect(checkLeakage(train, { column: 'churned', task: 'binary', positiveClass: 'yes' })).toEqual([]);
    expect(checkLeakage(train, { column: 'churned', task: 'binary' }, { timeColumn: 'event_time' })).toEqual([]);
  });
});

describe('predicts-alone', () => {
  it('flags a binary feature with AUC near 1, by value, by level rate and by missingness', () => {
    const t = churnTable(2);
    const yes = t.churned.map((c) => c === 'yes');
    const train = frame(
      ...t.columns,
      num('support_score', yes.map((p) => (p ? 5 : 1) + t.g.uniform())),
      cat('account_state', yes.map((p, i) => (p === (i % 50 !== 0) ? 'closed' : 'open'))),
      num('last_bill', yes.map((p) => (p ? NaN : 10 + t.g.uniform()))),
    );
    const warnings = checkLeakage(train, { column: 'churned', task: 'binary', positiveClass: 'yes' });
    expect(kinds(warnings)).toEqual(['support_score:predicts-alone:high', 'account_state:predicts-alone:high', 'last_bill:predicts-alone:high']);
    expect(warnings[0]!.score).toBe(1);
    expect(warnings[0]!.message).toMatch(/support_score alone predicts churned almost perfectly \(a ROC AUC of 1\.000/);
    // account_state is wrong on 4 of 200 rows: AUC just above the 0.98 line, still flagged.
    expect(warnings[1]!.score).toBeGreaterThanOrEqual(0.98);
    expect(warnings[1]!.score).toBeLessThan(1);
  });

  it('does not flag a feature whose AUC is below the line, nor an inverted one below it', () => {
    const t = churnTable(3);
    const yes = t.churned.map((c) => c === 'yes');
    const train = frame(cat('churned', t.churned), num('tenure', yes.map((p) => (p ? 1 : 0) + 0.8 * t.g.normal())));
    expect(checkLeakage(train, { column: 'churned', task: 'binary' })).toEqual([]);
    // The same strength reversed (lower means churn) is measured as max(AUC, 1 − AUC): a strong one is flagged.
    const strong = frame(cat('churned', t.churned), num('tenure', yes.map((p) => (p ? -10 : 10) + t.g.normal())));
    expect(kinds(checkLeakage(strong, { column: 'churned', task: 'binary' }))).toEqual(['tenure:predicts-alone:high']);
  });

  it('multiclass: flags a column whose bins or levels give the class, not one that only matches the majority', () => {
    const g = rng(4);
    const cls = Array.from({ length: N }, () => g.pick(['a', 'b', 'c']));
    const idx = cls.map((c) => 'abc'.indexOf(c));
    const train = frame(
      cat('segment', cls),
      num('code_number', idx.map((i) => i * 10 + 5 * g.uniform())),
      cat('code_letter', cls.map((c) => c.toUpperCase())),
      num('noise', idx.map(() => g.normal())),
    );
    const warnings = checkLeakage(train, { column: 'segment', task: 'multiclass' });
    expect(kinds(warnings)).toEqual(['code_number:predicts-alone:high', 'code_letter:predicts-alone:high']);
    expect(warnings[0]!.score).toBeGreaterThanOrEqual(0.98);

    // 98% one class: guessing the majority is already 98% right, so a noise column must not be flagged.
    const skewed = Array.from({ length: N }, (_, i) => (i % 50 === 7 ? 'b' : i % 50 === 31 ? 'c' : 'a'));
    const imbalanced = frame(cat('segment', skewed), num('noise', skewed.map(() => g.normal())));
    expect(checkLeakage(imbalanced, { column: 'segment', task: 'multiclass' })).toEqual([]);
  });

  it('regression: flags a near-perfect correlation and a non-linear but decisive column', () => {
    const g = rng(5);
    const y = Array.from({ length: N }, () => g.uniform());
    const train = frame(
      num('price', y),
      num('price_eur', y.map((v) => 0.9 * v + 0.001 * g.normal())),
      num('steep', y.map((v) => v ** 5)),
      cat('band', y.map((v) => `band ${Math.floor(v * 100)}`)),
      num('noise', y.map(() => g.normal())),
    );
    const warnings = checkLeakage(train, { column: 'price', task: 'regression' });
    // price_eur also contains the target's name, which is worth a look of its own.
    expect(kinds(warnings)).toEqual(['price_eur:predicts-alone:high', 'steep:predicts-alone:high', 'price_eur:outcome-name:medium']);
    expect(warnings[0]!.message).toMatch(/a correlation of 1\.000/);
    expect(warnings[1]!.message).toMatch(/R² 0\.99/);
    // band has 100 levels of about 2 rows each: pooled as rare, so it cannot look predictive.
  });

  it('measures nothing on fewer than 10 rows with a target', () => {
    const train = frame(num('y', [0, 1, 0, 1, 0, 1, NaN, NaN, NaN, NaN, NaN]), num('x', [0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]));
    expect(checkLeakage(train, { column: 'y', task: 'binary' })).toEqual([]);
  });
});

describe('identifier', () => {
  it('flags distinct text and categories, counters and increasing integers, and id names', () => {
    const t = churnTable(6);
    const train = frame(
      ...t.columns,
      text('customer', Array.from({ length: N }, (_, i) => (i === 3 ? null : `C-${(i * 7919) % 10007}`))),
      cat('email', Array.from({ length: N }, (_, i) => `user${i}@example.com`)),
      num('row_number', Array.from({ length: N }, (_, i) => i + 1)),
      num('ticket', Array.from({ length: N }, (_, i) => 1000 + 3 * i + (i % 2))),
      num('store_id', Array.from({ length: N }, (_, i) => i % 7)),
    );
    const warnings = checkLeakage(train, { column: 'churned', task: 'binary' });
    expect(kinds(warnings)).toEqual(['customer:identifier:high', 'email:identifier:high', 'row_number:identifier:high', 'ticket:identifier:medium', 'store_id:identifier:medium']);
    expect(warnings.find((w) => w.column === 'row_number')!.message).toMatch(/counts up by one/);
    expect(warnings.find((w) => w.column === 'store_id')!.message).toMatch(/named like an identifier.*group a split/);
  });

  it('knows identifier names from words that merely end in "id"', () => {
    for (const name of ['id', 'ID', 'Id', 'customer_id', 'Customer ID', 'customerId', 'PassengerId', 'CustomerID', 'order-id', 'uuid', 'session_guid', 'UUID']) expect(ID_NAME.test(name), name).toBe(true);
    for (const name of ['paid', 'valid', 'humid', 'PAID', 'covid_cases', 'idle_time', 'identity']) expect(ID_NAME.test(name), name).toBe(false);
  });
});

describe('outcome-name', () => {
  it('flags names recorded after the outcome and names that name the target', () => {
    const t = churnTable(7);
    const train = frame(
      ...t.columns,
      cat('cancel_reason', t.churned.map(() => t.g.pick(['price', 'moved', 'other']))),
      date('churn_date', t.eventTime.map((e) => e - 5 * DAY)),
      num('call_duration', t.churned.map(() => t.g.uniform())),
    );
    const warnings = checkLeakage(train, { column: 'churned', task: 'binary' });
    expect(kinds(warnings)).toEqual(['cancel_reason:outcome-name:medium', 'churn_date:outcome-name:medium', 'call_duration:outcome-name:medium']);
    expect(warnings[1]!.message).toMatch(/named after the target, churned/);
    expect(warnings[0]!.message).toMatch(/recorded after the outcome/);
  });

  it('matches the target through camelCase and filler words', () => {
    const g = rng(8);
    const fraud = Array.from({ length: N }, () => (g.uniform() < 0.2 ? 1 : 0));
    const train = frame(num('isFraud', fraud), num('fraud_score_v2', fraud.map(() => g.uniform())), num('is_weekend', fraud.map(() => (g.uniform() < 0.3 ? 1 : 0))));
    expect(kinds(checkLeakage(train, { column: 'isFraud', task: 'binary', positiveClass: '1' }))).toEqual(['fraud_score_v2:outcome-name:medium']);
  });
});

describe('time', () => {
  it('flags dates on or after the time column in most rows', () => {
    const t = churnTable(9);
    const train = frame(
      ...t.columns,
      date('closed_at', t.eventTime.map((e) => e + (1 + Math.floor(30 * t.g.uniform())) * DAY)),
      date('last_login', t.eventTime.map((e, i) => (i % 4 === 0 ? e - DAY : i % 10 === 1 ? NaN : e + DAY))),
    );
    const warnings = checkLeakage(train, { column: 'churned', task: 'binary' }, { timeColumn: 'event_time' });
    expect(kinds(warnings)).toEqual(['closed_at:time:high', 'last_login:time:medium']);
    expect(warnings[0]!.score).toBe(1);
    expect(warnings[0]!.message).toMatch(/on or after event_time in 100% of rows/);
    expect(warnings[1]!.score).toBeCloseTo(130 / 180, 12);
    // Without a time column, nothing is said about dates.
    expect(checkLeakage(train, { column: 'churned', task: 'binary' })).toEqual([]);
  });

  it('warns when rows are not in time order', () => {
    const t = churnTable(10);
    const shuffled = t.eventTime.slice();
    [shuffled[10], shuffled[11]] = [shuffled[11]!, shuffled[10]!];
    const columns = t.columns.map((c) => (c.name === 'event_time' ? date('event_time', shuffled) : c));
    const warnings = checkLeakage(frame(...columns), { column: 'churned', task: 'binary' }, { timeColumn: 'event_time' });
    expect(kinds(warnings)).toEqual(['event_time:time:medium']);
    expect(warnings[0]!.message).toMatch(/1 row is earlier than a row above it.*sort the rows by event_time/);
  });

  it('refuses a time column or target that is not there or of the wrong type', () => {
    const t = churnTable(11);
    const train = frame(...t.columns);
    expect(() => checkLeakage(train, { column: 'churned', task: 'binary' }, { timeColumn: 'when' })).toThrow(/"when" is not among/);
    expect(() => checkLeakage(train, { column: 'churned', task: 'binary' }, { timeColumn: 'plan' })).toThrow(/must hold dates or numbers/);
    expect(() => checkLeakage(train, { column: 'nope', task: 'binary' })).toThrow(/"nope" is not among/);
    expect(() => checkLeakage(train, { column: 'plan', task: 'regression' })).toThrow(/must hold numbers/);
    expect(() => checkLeakage(train, { column: 'churned', task: 'binary', positiveClass: 'maybe' })).toThrow(/"maybe" is not a value/);
  });
});

describe('targets and large tables', () => {
  it('reads a numeric positive class written either way, and leaves a numeric time column alone', () => {
    const g = rng(13);
    const y = Array.from({ length: N }, () => (g.uniform() < 0.4 ? 1 : 0));
    const train = frame(num('label', y), num('ts', y.map((_, i) => 1_700_000_000 + 60 * i)), num('x', y.map((v) => v * 3 + g.uniform())));
    for (const positiveClass of ['1', '1.0', '0']) {
      expect(kinds(checkLeakage(train, { column: 'label', task: 'binary', positiveClass }, { timeColumn: 'ts' }))).toEqual(['x:predicts-alone:high']);
    }
    // Without being named the time column, ts is a strictly increasing integer: an identifier.
    expect(kinds(checkLeakage(train, { column: 'label', task: 'binary' }))).toEqual(['x:predicts-alone:high', 'ts:identifier:medium']);
    expect(() => checkLeakage(train, { column: 'label', task: 'binary', positiveClass: '2' })).toThrow(/"2" is not a value of "label"/);
  });

  it('measures a table over 200,000 rows on a seeded sample, the same every time', () => {
    const n = 210_000;
    const g = rng(14);
    const y = Array.from({ length: n }, () => (g.uniform() < 0.5 ? 1 : 0));
    const train = frame(num('y', y), num('leak', y.map((v) => v + 0.9 * g.uniform())), num('weak', y.map((v) => v + 3 * g.uniform())));
    const first = checkLeakage(train, { column: 'y', task: 'binary' });
    expect(kinds(first)).toEqual(['leak:predicts-alone:high']);
    expect(checkLeakage(train, { column: 'y', task: 'binary' })).toEqual(first);
  });
});

describe('ordering', () => {
  it('lists high severity first, then in column order', () => {
    const t = churnTable(12);
    const yes = t.churned.map((c) => c === 'yes');
    const train = frame(
      num('cancel_flag_score', yes.map(() => t.g.uniform())),
      ...t.columns,
      num('refund', yes.map((p) => (p ? 1 : 0))),
    );
    expect(kinds(checkLeakage(train, { column: 'churned', task: 'binary' }))).toEqual(['refund:predicts-alone:high', 'cancel_flag_score:outcome-name:medium', 'refund:outcome-name:medium']);
  });
});
