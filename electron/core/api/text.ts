// Makes text that came from a server safe to show an operator: no HTML, no control characters, no token-like strings, capped length.

const MAX_DEFAULT = 300;

/**
 * Returns plain, single-line text: script/style blocks and tags removed, leftover angle brackets dropped,
 * control and bidi-override characters turned into spaces, whitespace collapsed, credentials redacted,
 * and at most `max` characters (with an ellipsis when cut). Anything that is not a string becomes ''.
 */
export function sanitizeServerText(input: unknown, max = MAX_DEFAULT): string {
  if (typeof input !== 'string') return '';
  // Bounded input keeps every pattern below linear-ish even on hostile bodies.
  let text = input.slice(0, 4000);
  text = text.replace(/<(script|style)\b[\s\S]*?<\/\1\s*>/gi, ' ');
  text = text.replace(/<[^<>]{0,500}>/g, ' ');
  text = text.replace(/[<>]/g, ' ');
  // eslint-disable-next-line no-control-regex
  text = text.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2066-\u2069\ufeff]/g, ' ');
  // JWTs (three base64url parts starting with `eyJ`) and `Bearer xyz` credentials a server might echo back.
  text = text.replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted]');
  text = text.replace(/\bBearer\s+[A-Za-z0-9\-._~+/]+=*/gi, '[redacted]');
  text = text.replace(/\s+/g, ' ').trim();
  if (text.length > max) text = `${text.slice(0, Math.max(0, max - 1)).trimEnd()}…`;
  return text;
}
