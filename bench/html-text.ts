/**
 * HTML to text for mail without a text part: the shipped converter (shared/mail/html-text.ts,
 * htmlparser2's streaming parser and a small writer) against round five's (html-to-text,
 * bench/variants/html-to-text.ts), in one process:
 * - CPU time converting the same HTML, best of `rounds` alternating rounds (the mail-sized HTML
 *   50 times a round): the HTML parts of the
 *   fixture mails, three replies as mail clients write them (Gmail, Outlook, QQ Mail), a newsletter
 *   laid out in tables, and that newsletter repeated to about 1 MB;
 * - the bytes each converter adds to a bundle (esbuild with the functions' settings).
 *
 * Run alone: `npx tsx bench/html-text.ts`.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import PostalMime from 'postal-mime';
import { htmlToPlainText } from '../shared/mail/html-text.js';
import { buildFunction, PROJECT_ROOT as root } from './bundles.js';
import { cpuMs } from './section.js';
import { htmlToPlainText as roundFive } from './variants/html-to-text.js';

const REPLIES = [
  '<div dir="ltr">Still not working after the update, see below.<br><br>Thanks<br>Ana</div><br><div class="gmail_quote"><div dir="ltr" class="gmail_attr">On Mon, May 20, 2024 at 10:15 AM Support &lt;<a href="mailto:support@example.com">support@example.com</a>&gt; wrote:<br></div><blockquote class="gmail_quote" style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex"><div>Please restart the app and tell us if the payment goes through.</div><div><br></div><div>Support</div></blockquote></div>',
  '<html xmlns:o="urn:schemas-microsoft-com:office:office"><head><meta charset="utf-8"><style>p.MsoNormal{margin:0cm;font-size:11.0pt;font-family:"Calibri",sans-serif}</style></head><body lang="EN-US"><div class="WordSection1"><p class="MsoNormal">Hello,<o:p></o:p></p><p class="MsoNormal">The invoice INV-2024-0520 shows the wrong VAT number.<o:p></o:p></p><p class="MsoNormal"><o:p>&nbsp;</o:p></p><div style="border:none;border-top:solid #E1E1E1 1.0pt;padding:3.0pt 0cm 0cm 0cm"><p class="MsoNormal"><b>From:</b> Support &lt;support@example.com&gt;<br><b>Sent:</b> Monday, May 20, 2024 10:15<br><b>To:</b> Ana<br><b>Subject:</b> RE: invoice<o:p></o:p></p></div><p class="MsoNormal">We have sent the invoice.<o:p></o:p></p></div></body></html>',
  '<div style="font:Verdana normal 14px;color:#000;">你好，发票抬头错了，请重新开具。</div><div><br></div><div style="font-size: 12px;font-family: Arial Narrow;padding:2px 0 2px 0;">------------------&nbsp;原始邮件&nbsp;------------------</div><div style="font-size: 12px;background:#efefef;padding:8px;"><div><b>发件人:</b>&nbsp;"客服"&lt;support@example.com&gt;;</div><div><b>发送时间:</b>&nbsp;2024年5月20日(星期一) 上午10:15</div><div><b>主题:</b>&nbsp;回复：发票</div></div><div><br></div>您好，发票已寄出。',
];

function newsletter(): string {
  const rows = Array.from({ length: 12 }, (_, n) => `<tr><td style="padding:8px"><img src="https://cdn.example.com/p${n}.png" width="80"></td><td style="padding:8px"><a href="https://shop.example.com/p/${n}?utm_source=mail">Product ${n} &ndash; now &euro;${n * 3}.99</a><br><span style="color:#777">Free delivery &amp; returns</span></td></tr>`).join('');
  return `<!DOCTYPE html><html><head><title>ACME</title><style>td{font-family:Arial}</style></head><body><table width="100%" cellpadding="0"><tr><td align="center"><table width="600"><tr><td><h1>Spring sale</h1><p>Dear customer, your order <b>#12345</b> has shipped.</p></td></tr>${rows}<tr><td><p style="font-size:11px">Unsubscribe &middot; Privacy</p></td></tr></table></td></tr></table></body></html>`;
}

async function corpus(): Promise<string[]> {
  const dir = join(root, 'test/fixtures/mail');
  const parts: string[] = [];
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.eml'))) {
    const email = await PostalMime.parse(readFileSync(join(dir, name))).catch(() => undefined);
    if (email?.html) parts.push(email.html);
  }
  const letter = newsletter();
  return [...parts, ...REPLIES, letter, letter.repeat(Math.ceil(1_000_000 / letter.length))];
}

export interface ConversionFigures {
  documents: number;
  htmlBytes: number;
  shippedCpuMs: number;
  roundFiveCpuMs: number;
  cpuRatio: number;
}

export interface HtmlTextFigures {
  /** The fixture mails' HTML parts, the replies and one newsletter: mail-sized HTML. */
  mail: ConversionFigures;
  /** The newsletter repeated to about 1 MB. */
  large: ConversionFigures;
  shippedBundleBytes: number;
  roundFiveBundleBytes: number;
}

/**
 * Measures both converters on the same HTML (see the module comment).
 *
 * @example
 * const { cpuRatio } = await htmlTextFigures({ rounds: 15 });
 */
export async function htmlTextFigures(options: { rounds?: number } = {}): Promise<HtmlTextFigures> {
  const rounds = options.rounds ?? 15;
  const documents = await corpus();
  const measure = (group: string[], passes: number): ConversionFigures => {
    const time = (convert: (html: string) => string) => {
      const start = cpuMs();
      for (let pass = 0; pass < passes; pass += 1) for (const html of group) convert(html);
      return (cpuMs() - start) / passes;
    };
    // Warm both (JIT), then alternate, keeping each side's best round.
    time(htmlToPlainText);
    time(roundFive);
    let shipped = Infinity;
    let before = Infinity;
    for (let i = 0; i < rounds; i += 1) {
      if (i % 2 === 0) {
        shipped = Math.min(shipped, time(htmlToPlainText));
        before = Math.min(before, time(roundFive));
      } else {
        before = Math.min(before, time(roundFive));
        shipped = Math.min(shipped, time(htmlToPlainText));
      }
    }
    return { documents: group.length, htmlBytes: group.reduce((sum, html) => sum + html.length, 0), shippedCpuMs: shipped, roundFiveCpuMs: before, cpuRatio: shipped / before };
  };
  const mail = measure(documents.slice(0, -1), 50);
  const large = measure(documents.slice(-1), 1);
  const dir = mkdtempSync(join(root, 'bench/results/html-text-'));
  try {
    const size = async (module: string) => {
      const entry = join(dir, `${module.replace(/\W/g, '-')}.ts`);
      writeFileSync(entry, `import { htmlToPlainText } from ${JSON.stringify(join(root, module))};\nexport const handler = (html: string) => htmlToPlainText(html);\n`);
      return (await buildFunction(entry, `${entry}.mjs`)).bytes;
    };
    return {
      mail,
      large,
      shippedBundleBytes: await size('shared/mail/html-text.ts'),
      roundFiveBundleBytes: await size('bench/variants/html-to-text.ts'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await htmlTextFigures());
}
