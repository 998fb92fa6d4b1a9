/**
 * Whether a parsed JSON value nests arrays/objects more than `max` levels deep. Iterative, so a hostile body cannot
 * overflow the stack here; recursive validators downstream (the MCP SDK's schemas) do overflow at a few thousand
 * levels and answer 500 (found by test/fuzz).
 */
export function nestsDeeperThan(value: unknown, max: number): boolean {
  const pending: [unknown, number][] = [[value, 1]];
  while (pending.length > 0) {
    const [node, depth] = pending.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(node)) pending.push([child, depth + 1]);
  }
  return false;
}
