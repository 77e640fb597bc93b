import { describe, expect, it } from 'vitest';
import { runsInFlight, SHORT_RUN_SECONDS, workerKind } from '../../src/experiment/pool.js';

describe('runsInFlight', () => {
  it('keeps two runs per worker while runs are short, one per worker once they are long, one on one thread', () => {
    expect(runsInFlight(1, 0, NaN)).toBe(1);
    expect(runsInFlight(1, 10, 0.01)).toBe(1);
    expect(runsInFlight(4, 0, NaN)).toBe(8);
    expect(runsInFlight(4, 10, SHORT_RUN_SECONDS / 10)).toBe(8);
    expect(runsInFlight(4, 10, SHORT_RUN_SECONDS)).toBe(4);
    expect(runsInFlight(2, 3, 30)).toBe(2);
  });
});

describe('workerKind', () => {
  it('reads CADREFLOW_WORKERS: threads by default, processes when asked, a clear error otherwise', () => {
    expect(workerKind({})).toBe('threads');
    expect(workerKind({ CADREFLOW_WORKERS: '' })).toBe('threads');
    expect(workerKind({ CADREFLOW_WORKERS: 'threads' })).toBe('threads');
    expect(workerKind({ CADREFLOW_WORKERS: 'processes' })).toBe('processes');
    expect(() => workerKind({ CADREFLOW_WORKERS: 'process' })).toThrow(/CADREFLOW_WORKERS \(environment\).*'threads' or 'processes'/);
  });
});
