import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { detectAutomatic } from '../../../shared/mail/automatic.js';
import { parseBounce } from '../../../shared/mail/bounce.js';
import { parseInboundMail } from '../../../shared/mail/parse.js';
import { extractNewText } from '../../../shared/mail/quotes.js';

const CRLF = '\r\n';

/** Random MIME trees with random (often wrong) boundaries, charsets and encodings, bounded in depth. */
const leaf = fc.record({
  type: fc.constantFrom('text/plain', 'text/html', 'application/pdf', 'message/delivery-status', 'image/png'),
  charset: fc.constantFrom('', '; charset=utf-8', '; charset=gb2312', '; charset=unknown-8bit', '; charset=bogus', '; charset="iso-2022-jp"'),
  cte: fc.constantFrom('', 'base64', 'quoted-printable', '8bit', 'x-uuencode'),
  body: fc.uint8Array({ maxLength: 200 }),
});

type Node = { kind: 'leaf'; leaf: typeof leaf extends fc.Arbitrary<infer T> ? T : never } | { kind: 'multi'; boundary: string; declared: string | null; close: boolean; children: Node[] };

const tree: fc.Arbitrary<Node> = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf.map((l): Node => ({ kind: 'leaf', leaf: l })),
    fc
      .record({
        boundary: fc.string({ minLength: 1, maxLength: 12 }),
        declared: fc.option(fc.string({ maxLength: 12 })),
        close: fc.boolean(),
        children: fc.array(tie('node'), { maxLength: 4 }),
      })
      .map((m): Node => ({ kind: 'multi', ...m })),
  ),
})).node;

function render(node: Node): Buffer {
  if (node.kind === 'leaf') {
    const { type, charset, cte, body } = node.leaf;
    const head = `Content-Type: ${type}${charset}${CRLF}${cte ? `Content-Transfer-Encoding: ${cte}${CRLF}` : ''}${CRLF}`;
    return Buffer.concat([Buffer.from(head, 'latin1'), Buffer.from(body)]);
  }
  const declared = node.declared === null ? '' : `; boundary="${node.declared}"`;
  const chunks: Buffer[] = [Buffer.from(`Content-Type: multipart/mixed${declared}${CRLF}${CRLF}`, 'latin1')];
  for (const child of node.children) chunks.push(Buffer.from(`--${node.boundary}${CRLF}`, 'latin1'), render(child), Buffer.from(CRLF));
  if (node.close) chunks.push(Buffer.from(`--${node.boundary}--${CRLF}`, 'latin1'));
  return Buffer.concat(chunks);
}

async function neverThrows(raw: Buffer): Promise<void> {
  const result = await parseInboundMail(raw);
  if (result.ok) {
    // The helpers downstream must cope with whatever the parser produced.
    detectAutomatic(result.mail.headers, result.mail.contentType, result.mail.from?.address, result.mail.returnPath);
    parseBounce(result.mail);
    expect(typeof result.mail.text).toBe('string');
  } else {
    expect(result.reason).toMatch(/^(empty|no-headers|parser-error|internal)$/);
  }
}

describe('parseInboundMail on hostile input', () => {
  it('never throws on random bytes', async () => {
    await fc.assert(fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), (bytes) => neverThrows(Buffer.from(bytes))), { numRuns: 150 });
  });

  it('never throws on random bytes after a plausible header', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 2000 }), async (bytes) => {
        await neverThrows(Buffer.concat([Buffer.from(`From: a@b.example${CRLF}Subject: x${CRLF}`), Buffer.from(bytes)]));
      }),
      { numRuns: 150 },
    );
  });

  it('never throws on random MIME trees with broken boundaries and charsets', async () => {
    await fc.assert(
      fc.asyncProperty(tree, fc.uint8Array({ maxLength: 60 }), async (node, subject) => {
        const head = Buffer.concat([Buffer.from(`From: a@b.example${CRLF}Subject: `), Buffer.from(subject.filter((b) => b !== 10 && b !== 13)), Buffer.from(CRLF)]);
        await neverThrows(Buffer.concat([head, render(node)]));
      }),
      { numRuns: 150 },
    );
  });

  it('answers a deeply nested mail without exhausting memory', async () => {
    const depth = 2000;
    const open = Array.from({ length: depth }, (_, i) => `Content-Type: multipart/mixed; boundary="n${i}"${CRLF}${CRLF}--n${i}${CRLF}`).join('');
    const raw = Buffer.from(`From: a@b.example${CRLF}${open}Content-Type: text/plain${CRLF}${CRLF}deep${CRLF}`);
    const before = process.memoryUsage().heapUsed;
    const result = await parseInboundMail(raw);
    expect(result.ok === false ? result.reason : 'ok').toMatch(/^(ok|parser-error)$/);
    // Bounded: far below what unbounded recursion or copying per level would need.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(200 * 1024 * 1024);
  });

  it('extractNewText never throws and never returns more than the input', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 500 }), (text) => {
        expect(extractNewText(text).length).toBeLessThanOrEqual(text.replace(/\r\n?/g, '\n').length);
      }),
    );
  });
});
