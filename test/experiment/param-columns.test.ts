import { describe, expect, it } from 'vitest';
import { listDefault, listScale, paramCells, paramColumns } from '../../src/experiment/param-columns.js';
import { csvRow } from '../../src/experiment/csv.js';
import { parseScenario } from '../../src/scenario/load.js';

const SCHEME_2011 = [0.024, 0.042, 0.07, 0.08, 0.136, 0.2];

describe('parameter columns of points.csv and runs.csv', () => {
  it('the default of a list lever is the schema default (the 2011 allowance scheme), also for a reform', () => {
    expect(parseScenario({}).policy.hardshipAllowance).toEqual(SCHEME_2011);
    expect(listDefault('policy.hardshipAllowance')).toEqual(SCHEME_2011);
    expect(listDefault('reforms[0].policy.hardshipAllowance')).toEqual(SCHEME_2011);
    expect(listDefault('policy.minYearsInRank')).toEqual([3, 3, 3]);
    expect(listDefault('policy.maxTenure')).toBeUndefined();
    expect(listDefault('policy.nothing')).toBeUndefined();
  });

  it('scale is the ratio of the sums: 1 for the 2011 scheme, c for it times c', () => {
    expect(listScale(SCHEME_2011, SCHEME_2011)).toBe(1);
    expect(csvRow([listScale(SCHEME_2011.map((x) => 3 * x), SCHEME_2011)])).toBe('3\n');
    expect(csvRow([listScale([0, 0, 0, 0, 0, 0.552], SCHEME_2011)])).toBe('1\n');
    expect(listScale([0, 0, 0, 0, 0, 0], SCHEME_2011)).toBe(0);
  });

  it('a list-valued parameter is followed by its .scale; a point without a list has empty cells', () => {
    const plan = {
      paths: ['policy.maxTenure', 'policy.hardshipAllowance', 'policy.registry'],
      points: [
        { 'policy.maxTenure': 8, 'policy.hardshipAllowance': SCHEME_2011.map((x) => 2 * x), 'policy.registry': true },
        { 'policy.maxTenure': 10 },
      ],
    };
    const cols = paramColumns(plan);
    expect(cols.map((c) => c.header)).toEqual(['policy.maxTenure', 'policy.hardshipAllowance', 'policy.hardshipAllowance.scale', 'policy.registry']);
    expect(csvRow(paramCells(cols, plan.points[0]!))).toBe('8,"[0.048,0.084,0.14,0.16,0.272,0.4]",2,TRUE\n');
    expect(csvRow(paramCells(cols, plan.points[1]!))).toBe('10,,,\n');
    // Scalar parameters get no .scale column.
    expect(paramColumns({ paths: ['policy.maxTenure'], points: [{ 'policy.maxTenure': 6 }] }).map((c) => c.header)).toEqual(['policy.maxTenure']);
  });
});
