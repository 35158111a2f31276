import type { ConformanceCase } from '../cases/case-model.ts';
import type { RunPlan } from './plan-model.ts';

/**
 * `--only` / `--rerun-failed`: the named cases and what they rest on — the cases they follow (`after`,
 * transitively: `deleted-again` needs `own-job`) or go out alongside (`deleted-concurrently` races `own-job`). Undefined keeps the whole plan. The facts stay whole:
 * the lists before any case are read either way, so "vanished" still means what it says.
 */
export function selectCases(plan: RunPlan, only: readonly string[] | undefined): RunPlan {
  if (!only) return plan;
  const keep = withDependencies(
    plan.cases.map((p) => p.case),
    only,
  );
  return { ...plan, cases: plan.cases.filter((p) => keep.has(p.case.id)) };
}

export function withDependencies(cases: readonly ConformanceCase[], only: readonly string[]): Set<string> {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const keep = new Set<string>();
  const add = (id: string) => {
    if (keep.has(id) || !byId.has(id)) return;
    keep.add(id);
    const after = afterOf(byId.get(id) as ConformanceCase);
    if (after) add(after);
  };
  for (const id of only) add(id);
  return keep;
}

const afterOf = (c: ConformanceCase): string | undefined => (c.kind === 'condition' ? (c.after ?? c.alongside) : 'after' in c ? c.after : undefined);
