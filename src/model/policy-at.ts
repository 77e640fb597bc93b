/**
 * Reforms (MODEL.md §6): the policy and the reformable behaviour in force in
 * a calendar year are the scenario's, overridden by every reform whose year
 * has come, in year order.
 */
import type { Behavior, Policy, Scenario } from '../scenario/schema.js';

function merge<T>(base: T, over: unknown): T {
  if (over === undefined || over === null) return base;
  if (typeof base !== 'object' || base === null || Array.isArray(base) || typeof over !== 'object' || Array.isArray(over)) return over as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over as Record<string, unknown>)) if (v !== undefined) out[k] = merge(out[k], v);
  return out as T;
}

export function rulesAt(s: Scenario, year: number): { policy: Policy; behavior: Behavior } {
  let policy = s.policy;
  let behavior = s.behavior;
  const reforms = [...s.reforms].sort((a, b) => a.year - b.year);
  for (const r of reforms) {
    if (r.year > year) break;
    policy = merge(policy, r.policy);
    behavior = merge(behavior, r.behavior);
  }
  return { policy, behavior };
}
