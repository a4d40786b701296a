import { ChaosError } from '../errors/chaos-error';
import { closest, didYouMean } from '../errors/suggest';
import { parseRule } from '../rules/parse';
import type { Rule, SuiteSpec } from '../rules/types';
import { readDocblock } from './docblock';

const NAMES = ['chaos', 'chaos-seed', 'chaos-priority', 'chaos-time', 'tag'] as const;
const PRAGMAS = NAMES.map((name) => `@${name}`);
const PRIORITIES = ['A', 'B', 'C'] as const;
const MAX_SEED = 0xffffffff;

const DIGITS = /^\d+$/;
const WHITESPACE = /\s+/;
const TAG_NAME = /^[A-Za-z0-9_-]+$/;
/** Operators of CHAOS_TAGS expressions: a tag of that name could never be selected. */
const TAG_OPERATORS = ['and', 'or', 'not'];

const VALID_PRAGMAS = `Valid: ${PRAGMAS.join(', ')}`;
const VALID_SEED = `Valid: @chaos-seed <integer from 0 to ${MAX_SEED}>, e.g. @chaos-seed 42`;
const VALID_PRIORITY = 'Valid: A (financial decisions and safety), B (state consistency), C (self-repair)';
const VALID_TIME = 'Valid: @chaos-time virtual; leave it out for real time';
const VALID_TAG = 'Valid: names of letters, digits, "-" and "_", e.g. @tag integration slow';

/**
 * Reads what a test file's first docblock declares for jest-chaos: `@chaos` rules, `@chaos-seed`,
 * `@chaos-priority`, `@chaos-time` and `@tag`. Other pragmas are ignored. `file` is the path as
 * messages show it. Throws ERR_CHAOS_PRAGMA for pragma mistakes and ERR_CHAOS_RULE (origin
 * `<file>:<line>`) for rule mistakes.
 */
export function parseSuite(source: string, file: string): SuiteSpec {
  let isChaosSuite = false;
  const rules: Rule[] = [];
  const tags: string[] = [];
  let reservedTagLine: number | undefined;
  let seed: number | undefined;
  let seedLine = 0;
  let priority: 'A' | 'B' | 'C' | undefined;
  let priorityLine = 0;
  let time: 'virtual' | undefined;
  let timeLine = 0;

  for (const entry of readDocblock(source)) {
    const { name, value, line } = entry;
    const fail = (why: string, valid: string, suggestion = ''): ChaosError =>
      new ChaosError('ERR_CHAOS_PRAGMA', `jest-chaos: invalid pragma in ${file}:${line}: ${why}. ${valid}.${suggestion}`);
    const pragma = `@${name}`;

    if (!PRAGMAS.includes(pragma)) {
      // Other tools' pragmas pass; the `chaos` prefix and near misses of ours do not.
      const near = closest(name, NAMES);
      if (near !== undefined || name.toLowerCase().startsWith('chaos')) {
        throw fail(`unknown pragma "${pragma}"`, VALID_PRAGMAS, near === undefined ? '' : ` Did you mean "@${near}"?`);
      }
      continue;
    }
    if (entry.merged !== undefined) {
      throw fail(
        `the prose on line ${entry.merged.line} ("${entry.merged.text}") directly follows ${pragma}, so Jest merges it into the pragma's value`,
        'Put a blank " *" line between them, or move the prose above the pragmas',
      );
    }
    const repeated = (firstLine: number): ChaosError => fail(`${pragma} is repeated (first on line ${firstLine})`, `Valid: one ${pragma} per file`);

    switch (pragma) {
      case '@chaos':
        if (!isChaosSuite) {
          isChaosSuite = true;
          if (!tags.includes('chaos')) tags.push('chaos');
        }
        if (value !== '') rules.push(parseRule(value, `${file}:${line}`));
        break;
      case '@chaos-seed': {
        if (seed !== undefined) throw repeated(seedLine);
        if (value === '') throw fail('@chaos-seed has no value', VALID_SEED);
        if (/^-\d+$/.test(value)) throw fail(`@chaos-seed "${value}" is negative; a seed is a whole number from 0 to ${MAX_SEED}`, VALID_SEED);
        if (!DIGITS.test(value)) throw fail(`@chaos-seed "${value}" is not an integer`, VALID_SEED);
        const n = Number(value);
        if (n > MAX_SEED) throw fail(`@chaos-seed "${value}" is out of range`, VALID_SEED);
        seed = n;
        seedLine = line;
        break;
      }
      case '@chaos-priority': {
        if (priority !== undefined) throw repeated(priorityLine);
        if (value === '') throw fail('@chaos-priority has no value', VALID_PRIORITY);
        const upper = value.toUpperCase();
        if (!isPriority(value)) {
          const hint = isPriority(upper) ? ` Did you mean "${upper}"?` : '';
          throw fail(`@chaos-priority "${value}" is not a priority`, VALID_PRIORITY, hint);
        }
        priority = value;
        priorityLine = line;
        break;
      }
      case '@chaos-time':
        if (time !== undefined) throw repeated(timeLine);
        if (value === '') throw fail('@chaos-time has no value', VALID_TIME);
        if (value !== 'virtual') throw fail(`@chaos-time "${value}" is not a time mode`, VALID_TIME, didYouMean(value, ['virtual']));
        time = value;
        timeLine = line;
        break;
      case '@tag':
        if (value === '') throw fail('@tag has no tag names', VALID_TAG);
        for (const tag of value.split(WHITESPACE)) {
          if (!TAG_NAME.test(tag)) throw fail(`"${tag}" is not a valid tag name`, VALID_TAG);
          if (TAG_OPERATORS.includes(tag.toLowerCase())) {
            throw fail(`"${tag}" cannot be a tag name: and, or and not are operators in CHAOS_TAGS expressions`, 'Valid: any other name of letters, digits, "-" and "_"');
          }
          if (tag === 'chaos') reservedTagLine ??= line;
          if (!tags.includes(tag)) tags.push(tag);
        }
        break;
    }
  }

  if (!isChaosSuite && reservedTagLine !== undefined) {
    throw new ChaosError(
      'ERR_CHAOS_PRAGMA',
      `jest-chaos: invalid pragma in ${file}:${reservedTagLine}: the tag "chaos" is reserved for chaos suites. Add a @chaos pragma to make this file a chaos suite, or remove the tag.`,
    );
  }
  return { isChaosSuite, rules, tags, seed, priority, time };
}

function isPriority(value: string): value is 'A' | 'B' | 'C' {
  return (PRIORITIES as readonly string[]).includes(value);
}
