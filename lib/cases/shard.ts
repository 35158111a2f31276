import { ConformanceError } from '../errors.ts';
import type { ConformanceCase } from './case-model.ts';

export interface Shard {
  /** 1-based, as `--shard 2/3` says it. */
  index: number;
  count: number;
}

export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  const [index, count] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || count < 1 || index < 1 || index > count) throw new ConformanceError('CFG_USAGE', `--shard expects i/n with 1 ≤ i ≤ n, e.g. 2/3; got "${text}"`);
  return { index, count };
}

/**
 * The cases of one shard. Cases that depend on each other stay together: a chain (delete → the
 * requests sent alongside it → delete again → state checks) is one unit, and a status case goes with the first condition expected to
 * show that status, so its evidence is gathered in the same shard. Units are dealt round-robin in
 * case order — deterministic, so the union of the shards is the full run.
 */
export function selectShard(cases: readonly ConformanceCase[], shard: Shard | undefined): ConformanceCase[] {
  if (!shard || shard.count === 1) return [...cases];
  const unitOf = new Map<string, string>();
  for (const c of cases) {
    const follows = c.kind === 'condition' ? (c.after ?? c.alongside) : c.kind === 'state' ? c.after : undefined;
    const lead = follows ? (unitOf.get(follows) ?? follows) : undefined;
    const provider = c.kind === 'status' ? cases.find((p) => p.kind === 'condition' && p.expectedStatuses.includes(c.status)) : undefined;
    unitOf.set(c.id, lead ?? (provider ? (unitOf.get(provider.id) ?? provider.id) : c.id));
  }
  const units = [...new Set(cases.map((c) => unitOf.get(c.id) as string))];
  const mine = new Set(units.filter((_, k) => k % shard.count === shard.index - 1));
  return cases.filter((c) => mine.has(unitOf.get(c.id) as string));
}
