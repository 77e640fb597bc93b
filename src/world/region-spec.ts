/**
 * A region as a preset or a scenario describes it, before the world is built
 * into column arrays (MODEL.md §2.1). Presets return arrays of these, parents
 * before children.
 */
export interface RegionSpec {
  /** GB/T 2260 code for real regions, or a synthetic code. */
  code: string;
  /** Chinese name (or a synthetic label). */
  name: string;
  /** English (pinyin) name where known. */
  nameEn?: string;
  /** Index of the parent in the same array; -1 for a root (a province). */
  parent: number;
  /** 3 province, 2 prefecture (市州), 1 county (县市区). */
  level: 1 | 2 | 3;
  /** Relative average pay of public employees; the provincial capital ≈ 1.0. */
  wageIndex: number;
  /** Hardship-allowance category 0–6 (0 = not a hardship area). */
  hardship: number;
  /** Urbanisation 0..1. */
  urban: number;
  /** Position in km (east, north) on a local projection; used for distances. */
  x: number;
  y: number;
  /** Resident population (persons); weights the draw of home counties. */
  population: number;
  /** Share of ethnic minorities 0..1 (used by the hardship model). */
  minorityShare: number;
  /** Which fields are observed data and which are modelled (for the docs and the report). */
  provenance?: { wageIndex?: 'data' | 'modelled'; hardship?: 'data' | 'modelled'; urban?: 'data' | 'modelled'; position?: 'data' | 'modelled'; population?: 'data' | 'modelled' };
}
