// Just enough of Terraform's version constraint syntax (=, !=, >, >=, <, <=, ~>) to check
// that the offline provider version satisfies every constraint in the configuration.

type Version = [number, number, number];

function parseVersion(text: string): { version: Version; parts: number } {
  const numbers = text.trim().split('.').map(Number);
  if (numbers.length === 0 || numbers.length > 3 || numbers.some((n) => !Number.isInteger(n))) {
    throw new Error(`unsupported version "${text}"`);
  }
  const [major = 0, minor = 0, patch = 0] = numbers;
  return { version: [major, minor, patch], parts: numbers.length };
}

function compare(a: Version, b: Version): number {
  for (let i = 0; i < 3; i += 1) {
    const diff = (a[i] ?? 0) - (b[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}

export function satisfies(versionText: string, constraint: string): boolean {
  const { version } = parseVersion(versionText);
  return constraint.split(',').every((part) => {
    const match = /^\s*(=|!=|>=|<=|>|<|~>)?\s*([0-9.]+)\s*$/.exec(part);
    if (!match) throw new Error(`unsupported constraint "${part}"`);
    const operator = match[1] ?? '=';
    const { version: bound, parts } = parseVersion(match[2] ?? '');
    const order = compare(version, bound);
    switch (operator) {
      case '=':
        return order === 0;
      case '!=':
        return order !== 0;
      case '>':
        return order > 0;
      case '>=':
        return order >= 0;
      case '<':
        return order < 0;
      case '<=':
        return order <= 0;
      default: {
        // ~> 5.100.0 allows 5.100.x; ~> 5.100 allows 5.x (x >= 100).
        const upper: Version = parts === 3 ? [bound[0], bound[1] + 1, 0] : [bound[0] + 1, 0, 0];
        return order >= 0 && compare(version, upper) < 0;
      }
    }
  });
}
