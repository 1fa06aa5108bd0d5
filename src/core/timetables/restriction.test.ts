import { describe, expect, it } from 'vitest';
import { restrictionFor } from './index.ts';

describe('restrictionFor', () => {
  it('reads start and end dates as epoch milliseconds and keeps catchup', () => {
    expect(restrictionFor({ dagId: 'd', startDate: '2024-01-01T00:00:00.000Z', endDate: null, catchup: true })).toEqual({
      earliest: Date.UTC(2024, 0, 1),
      latest: null,
      catchup: true,
    });
  });

  it('rejects an unreadable date with DAG_INVALID_DATES', () => {
    expect(() => restrictionFor({ dagId: 'd', startDate: 'yesterday', endDate: null, catchup: false })).toThrow(
      expect.objectContaining({ code: 'DAG_INVALID_DATES' }),
    );
  });
});
