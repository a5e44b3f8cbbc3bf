/** Reads the header block of a raw RFC 5322 mail the way a receiving MTA does: unfolded, one field per entry. */
export function headerFields(raw: Buffer | string): Array<{ name: string; value: string }> {
  const text = typeof raw === 'string' ? raw : raw.toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  const head = end >= 0 ? text.slice(0, end) : text;
  const fields: Array<{ name: string; value: string }> = [];
  for (const line of head.split(/\r?\n/)) {
    if (/^[ \t]/.test(line) && fields.length > 0) {
      const last = fields[fields.length - 1]!;
      last.value += line;
      continue;
    }
    const colon = line.indexOf(':');
    fields.push({ name: (colon >= 0 ? line.slice(0, colon) : line).trim().toLowerCase(), value: colon >= 0 ? line.slice(colon + 1) : '' });
  }
  return fields;
}

/** Header names an attacker would like to add; none of them is ever written by the composer. */
export const INJECTED_HEADERS = ['bcc', 'cc', 'x-injected', 'content-disposition'];

/** Payloads that try to end a header line and start another one, in the encodings that reach us. */
export const INJECTION_PAYLOADS = [
  'Hi\r\nBcc: attacker@evil.example',
  'Hi\nX-Injected: yes',
  'Hi\rX-Injected: yes',
  'Hi\r\n\r\n<script>alert(1)</script>',
  'Hi%0d%0aBcc: attacker@evil.example',
  'Hi\u2028X-Injected: yes',
  'Hi\u0085X-Injected: yes',
  '=?utf-8?Q?Hi=0D=0ABcc:_attacker@evil.example?=',
];

/** What must hold for every mail we send: each singleton header once, no attacker header at all. */
export function headerProblems(raw: Buffer): string[] {
  const fields = headerFields(raw);
  const problems: string[] = [];
  for (const field of fields) {
    if (INJECTED_HEADERS.includes(field.name)) problems.push(`injected header ${field.name}:${field.value}`);
    if (field.name === '' || /[^\x21-\x39\x3b-\x7e]/.test(field.name)) problems.push(`malformed header line "${field.name}"`);
  }
  for (const singleton of ['from', 'to', 'subject', 'message-id', 'reply-to']) {
    const count = fields.filter((field) => field.name === singleton).length;
    if (count > 1) problems.push(`${singleton} appears ${count} times`);
  }
  return problems;
}
