/**
 * Checks a value against the subset of JSON Schema that the report schema uses: `type`, `const`, `enum`,
 * `anyOf`, `properties`, `required`, `additionalProperties: false`, `items`, `minItems`, `minimum`,
 * `maximum`. Other keywords are ignored. Returns one message per problem, each with the value's path.
 */
export function validateAgainst(schema: unknown, value: unknown, at = '$'): string[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const s = schema as Record<string, unknown>;
  if (Array.isArray(s.anyOf)) {
    const branches = s.anyOf.map((branch) => validateAgainst(branch, value, at));
    // The report only uses anyOf for "this or null": the first branch's complaint is the useful one.
    return branches.every((branch) => branch.length > 0) ? (branches[0] ?? []) : [];
  }
  const errors: string[] = [];
  if ('const' in s && value !== s.const) errors.push(`${at} must be ${JSON.stringify(s.const)}, not ${JSON.stringify(value)}`);
  if (Array.isArray(s.enum) && !s.enum.includes(value)) errors.push(`${at} must be one of ${s.enum.map((v) => JSON.stringify(v)).join(', ')}, not ${JSON.stringify(value)}`);
  if (typeof s.type === 'string' && !hasType(value, s.type)) {
    errors.push(`${at} must be ${s.type === 'integer' || s.type === 'array' || s.type === 'object' ? 'an' : 'a'} ${s.type}, not ${describe(value)}`);
    return errors;
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) errors.push(`${at} must be at least ${s.minimum}, not ${value}`);
    if (typeof s.maximum === 'number' && value > s.maximum) errors.push(`${at} must be at most ${s.maximum}, not ${value}`);
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) errors.push(`${at} must have at least ${s.minItems} item(s)`);
    if (s.items !== undefined) value.forEach((item, i) => errors.push(...validateAgainst(s.items, item, `${at}[${i}]`)));
  } else if (typeof value === 'object' && value !== null) {
    const record = value as Record<string, unknown>;
    const properties = (s.properties ?? {}) as Record<string, unknown>;
    for (const key of Array.isArray(s.required) ? (s.required as string[]) : []) {
      if (!(key in record)) errors.push(`${at}.${key} is missing`);
    }
    for (const [key, item] of Object.entries(record)) {
      if (key in properties) errors.push(...validateAgainst(properties[key], item, `${at}.${key}`));
      else if (s.additionalProperties === false) errors.push(`${at}.${key} is not a known field`);
    }
  }
  return errors;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null':
      return value === null;
    case 'array':
      return Array.isArray(value);
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}
