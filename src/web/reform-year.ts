/**
 * The workshop's reform year by default, in one place for the server
 * (levers.ts, when a run request names none) and the page (client/levers.ts,
 * when the settings or a loaded scenario leave it open). Browser-safe.
 */

/** Years after the first reported year: the charts show a before and an after. */
export const REFORM_AFTER = 4;

/** The reform year by default for a run whose first reported year is startYear, of `years` reported years. */
export function defaultReformYear(startYear: number, years: number): number {
  return startYear + Math.min(REFORM_AFTER, Math.max(0, years - 1));
}
