import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { csvRow, formatNumber, parseBoolean } from '../../src/experiment/csv.js';

/** The definition: at most 10 significant digits, printed as JavaScript prints the rounded number. */
const reference = (x: number) => (!Number.isFinite(x) ? '' : Number.isInteger(x) ? String(x) : String(Number(x.toPrecision(10))));

describe('formatNumber', () => {
  it('prints at most 10 significant digits in the shortest form', () => {
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3)).toBe('0.3333333333');
    expect(formatNumber(-2.5)).toBe('-2.5');
    expect(formatNumber(9.99999999999)).toBe('10');
    expect(formatNumber(123456.78901234)).toBe('123456.789');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
    expect(formatNumber(12345678901.5)).toBe('12345678900');
    expect(formatNumber(1750411029.5)).toBe('1750411030');
    expect(formatNumber(1e21 + 0.5)).toBe('1e+21');
    expect(formatNumber(NaN)).toBe('');
    expect(formatNumber(-Infinity)).toBe('');
    expect(formatNumber(-0)).toBe('0');
  });

  it('equals the definition on any double (the fast path for fixed notation)', () => {
    fc.assert(fc.property(fc.double({ noNaN: false }), (x) => formatNumber(x) === reference(x)), { numRuns: 20000 });
    // Values as metrics take them: shares, means and rates, and their boundaries of notation.
    fc.assert(fc.property(fc.double({ min: -1e11, max: 1e11 }), fc.integer({ min: -12, max: 3 }), (m, e) => {
      const x = m * 10 ** e;
      return formatNumber(x) === reference(x);
    }), { numRuns: 20000 });
    for (let e = -8; e <= 22; e++) for (const m of [1, 0.99999999995, 1.00000000005, 9.9999999995, 4.5]) {
      const x = m * 10 ** e;
      expect(formatNumber(x)).toBe(reference(x));
      expect(formatNumber(-x)).toBe(reference(-x));
    }
  });

  it('quotes text cells that need it', () => {
    expect(csvRow(['a,b', 'say "hi"', 1.25, NaN])).toBe('"a,b","say ""hi""",1.25,\n');
  });

  it('writes booleans as TRUE and FALSE (logical in R, bool in pandas) and reads them back, also as earlier versions wrote them', () => {
    expect(csvRow([true, false, 'true', 1])).toBe('TRUE,FALSE,true,1\n');
    expect([parseBoolean('TRUE'), parseBoolean('FALSE'), parseBoolean('true'), parseBoolean('false'), parseBoolean('1'), parseBoolean('')]).toEqual([true, false, true, false, undefined, undefined]);
  });
});
