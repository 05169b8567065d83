// Activity CSV: RFC 4180 quoting, CRLF rows, and cells that a spreadsheet would run as formulas neutralised.
import { describe, expect, it } from 'vitest';
import { activityCsv, csvCell } from '../../../../electron/core/audit/csv';
import type { ActivityEntry } from '../../../../shared/domain';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['+1', "'+1"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tcmd', "'\tcmd"],
    ['\r=1', `"'\r=1"`],
    ['a=b', 'a=b'],
    ['', ''],
  ])('%j → %j', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });
});

describe('activityCsv', () => {
  it('writes a header and one CRLF-terminated row per entry, oldest first', () => {
    const entry: ActivityEntry = {
      id: 'id-1',
      at: '2025-01-01T00:00:00.000Z',
      operator: 'ops@partner.test',
      environment: 'sandbox-local',
      action: 'order_submit',
      outcome: 'ok',
      summary: 'Mint 1.00 USD → USDP, "quoted"',
      refId: null,
    };
    expect(activityCsv([entry, { ...entry, id: 'id-2', summary: '=cmd|calc' }])).toBe(
      'time,operator,environment,action,outcome,summary,ref_id,id\r\n' +
        '2025-01-01T00:00:00.000Z,ops@partner.test,sandbox-local,order_submit,ok,"Mint 1.00 USD → USDP, ""quoted""",,id-1\r\n' +
        "2025-01-01T00:00:00.000Z,ops@partner.test,sandbox-local,order_submit,ok,'=cmd|calc,,id-2\r\n",
    );
  });
});
