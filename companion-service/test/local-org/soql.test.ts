import { describe, expect, it } from 'vitest';
import { dateLiteralRange } from '@pipeline-scribe/local-salesforce/org/soql/date-literals';
import { parseSoql } from '@pipeline-scribe/local-salesforce/org/soql/parser';
import { checksumSuffix, makeId, toId18 } from '@pipeline-scribe/local-salesforce/org/schema/ids';

/** The SOQL grammar and date literals the local org understands, checked without a server. */

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const NOW = Date.parse('2026-03-11T15:30:00Z'); // a Wednesday in Q1

describe('date literals', () => {
  const range = (name: string, n: number | null = null) => {
    const r = dateLiteralRange(name, n, NOW);
    return [new Date(r.start).toISOString().slice(0, 10), new Date(r.end).toISOString().slice(0, 10)];
  };

  it('cover whole days, weeks from Sunday, months, quarters and years', () => {
    expect(range('TODAY')).toEqual(['2026-03-11', '2026-03-12']);
    expect(range('YESTERDAY')).toEqual(['2026-03-10', '2026-03-11']);
    expect(range('THIS_WEEK')).toEqual(['2026-03-08', '2026-03-15']);
    expect(range('LAST_MONTH')).toEqual(['2026-02-01', '2026-03-01']);
    expect(range('THIS_QUARTER')).toEqual(['2026-01-01', '2026-04-01']);
    expect(range('NEXT_QUARTER')).toEqual(['2026-04-01', '2026-07-01']);
    expect(range('LAST_YEAR')).toEqual(['2025-01-01', '2026-01-01']);
  });

  it('count N days including today back, and N days from tomorrow forward', () => {
    expect(range('LAST_N_DAYS', 7)).toEqual(['2026-03-04', '2026-03-12']);
    expect(range('NEXT_N_DAYS', 3)).toEqual(['2026-03-12', '2026-03-15']);
    expect(range('N_DAYS_AGO', 2)).toEqual(['2026-03-09', '2026-03-10']);
    expect(range('LAST_N_MONTHS', 2)).toEqual(['2026-01-01', '2026-03-01']);
    expect(range('LAST_90_DAYS')).toEqual(['2025-12-11', '2026-03-12']);
    expect(dateLiteralRange('TODAY', null, NOW).start).toBe(day('2026-03-11'));
  });
});

describe('the SOQL parser', () => {
  it('reads field paths, child subqueries, semi-joins, literals, ORDER BY and LIMIT', () => {
    const q = parseSoql(
      "SELECT Id, Account.Name, (SELECT Role FROM OpportunityContactRoles) FROM Opportunity WHERE (StageName = 'Won\\'t' OR Amount >= -5.5) AND AccountId IN (SELECT AccountId FROM Contact WHERE Email != null) AND CloseDate = LAST_N_DAYS:30 ORDER BY CloseDate DESC NULLS FIRST, Name LIMIT 10 OFFSET 5",
    );
    expect(q.select.map((s) => s.kind)).toEqual(['field', 'field', 'subquery']);
    expect(q.where).toMatchObject({
      kind: 'and',
      items: [
        {
          kind: 'or',
          items: [{ value: { kind: 'string', value: "Won't" } }, { op: '>=', value: { value: -5.5 } }],
        },
        { kind: 'semiJoin', path: ['AccountId'] },
        { value: { kind: 'dateLiteral', name: 'LAST_N_DAYS', n: 30 } },
      ],
    });
    expect(q.orderBy).toEqual([
      { path: ['CloseDate'], descending: true, nullsLast: false },
      { path: ['Name'], descending: false, nullsLast: false },
    ]);
    expect([q.limit, q.offset]).toEqual([10, 5]);
  });

  it('refuses AND and OR mixed without parentheses, as Salesforce does', () => {
    expect(() =>
      parseSoql("SELECT Id FROM Account WHERE Name = 'a' AND Type = 'b' OR Industry = 'c'"),
    ).toThrow(/use parentheses when mixing AND and OR/);
    expect(() => parseSoql('SELECT Id FROM')).toThrow(/unexpected token: <EOF>/);
  });
});

describe('record ids', () => {
  it('adds the case-checksum suffix Salesforce uses, and accepts 15 or 18 characters', () => {
    expect(checksumSuffix('001Dn00000Z9y8x')).toBe('IAB');
    const id = makeId('006', 1);
    expect(id).toHaveLength(18);
    expect(toId18(id.slice(0, 15))).toBe(id);
    expect(toId18('not an id')).toBeNull();
  });
});
