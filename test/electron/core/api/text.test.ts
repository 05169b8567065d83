// sanitizeServerText: server text reaches the operator without HTML, control characters, credentials, or unbounded length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sanitizeServerText } from '../../../../electron/core/api/text';

/** Text mixing markup, control, bidi and ordinary characters. */
const hostile = fc
  .array(fc.oneof(fc.constantFrom('<', '>', '<b>', '</script>', '\u0000', '\u001b', '\u007f', '\u0085', '\u202e', '\r\n', '&lt;', 'eyJ'), fc.string({ maxLength: 6 })), { maxLength: 60 })
  .map((parts) => parts.join(''));

describe('sanitizeServerText', () => {
  it('strips tags, script and style blocks, and collapses whitespace', () => {
    expect(sanitizeServerText('<h1>Bad</h1>\n<p>amount   <b>too</b> large</p><script>alert(1)</script><style>p{}</style>')).toBe('Bad amount too large');
  });

  it('drops control and bidi-override characters and stray angle brackets', () => {
    expect(sanitizeServerText('a\u0000b\u001b[31mc\u202ed > e < f')).toBe('a b [31mc d e f');
  });

  it('redacts JWTs and bearer credentials a server might echo', () => {
    const jwt = 'eyJhbGciOiJFUzI1NiJ9.eyJzdWIiOiJvcCJ9.c2lnbmF0dXJl';
    expect(sanitizeServerText(`token ${jwt} rejected; Authorization: Bearer abc.def-123`)).toBe('token [redacted] rejected; Authorization: [redacted]');
  });

  it('stays fast on hostile bodies (unclosed tags, endless script openers)', () => {
    const started = performance.now();
    sanitizeServerText('<'.repeat(100_000));
    sanitizeServerText('<script'.repeat(20_000));
    expect(performance.now() - started).toBeLessThan(200);
  });

  it('caps the length with an ellipsis and turns non-strings into empty text', () => {
    expect(sanitizeServerText('x'.repeat(1000), 20)).toHaveLength(20);
    expect(sanitizeServerText('x'.repeat(1000), 20).endsWith('…')).toBe(true);
    expect(sanitizeServerText(42)).toBe('');
    expect(sanitizeServerText(undefined)).toBe('');
  });

  it('never outputs markup, control characters or more than the cap, whatever the input', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 300 }), (input, max) => {
        const out = sanitizeServerText(input, max);
        return out.length <= max && !/[<>\u0000-\u001f\u007f-\u009f]/.test(out); // eslint-disable-line no-control-regex
      }),
      { numRuns: 150 },
    );
  });
});
