/**
 * Separates what the customer just wrote from the quoted history and signature that mail clients
 * append. Works on lines, from the top: the first marker of history cuts the rest, and quoted
 * (`>`) lines are dropped wherever they are, so inline answers between quotes are kept.
 */

/** A whole line that starts the quoted original in one client or another. */
const CUT_LINES: RegExp[] = [
  /^\s*-{2,}\s*(original message|原始邮件|原邮件|回复的原邮件|forwarded message|转发邮件|原始郵件|原郵件|轉寄郵件|轉發郵件)\s*-{2,}\s*$/i,
  /^\s*_{10,}\s*$/, // Outlook's separator before its From/Sent block
  /^-- ?$/, // signature delimiter (RFC 3676 says "-- ", many clients drop the space)
  /^\s*On\b.{0,300}\bwrote:\s*$/i, // Gmail, Apple Mail, Thunderbird
  /^\s*在.{0,300}(写道|寫道)\s*[:：]\s*$/, // Apple Mail in Chinese (Simplified and Traditional)
  /^\s*\d{4}[-/年].{0,200}(写道|寫道|wrote)\s*[:：]\s*$/, // "2024-05-20 10:00 GMT+08:00, x <y> wrote:" variants
  /^.{0,300}[于於]\s*\d.{0,200}(写道|寫道)\s*[:：]\s*$/, // Gmail in Chinese: "x <y> 于2024年5月20日周一 10:00写道：" (於 in Traditional)
];

/** First line of a two-line attribution that mail clients wrap ("On Mon ... <" / "x@y> wrote:"). */
const SPLIT_ATTRIBUTION_START = [/^\s*On\b/i, /^\s*在/];
const SPLIT_ATTRIBUTION_END = /(wrote|写道|寫道)\s*[:：]\s*$/i;

/** Header lines of an Outlook / QQ / NetEase quoted block (English and Chinese). */
const FROM_LINE = /^\s*\*?(From|发件人|寄件者|寄件人)\*?\s*[:：]/i;
const BLOCK_HEADER = /^\s*\*?(Sent|Date|To|Cc|Subject|发送时间|日期|时间|收件人|抄送|主题|寄件日期|傳送時間|時間|收件者|副本|主旨)\*?\s*[:：]/i;

/** What `\s` matches in a JavaScript regular expression, by character code. */
function isSpace(ch: number): boolean {
  if (ch < 0x80) return ch === 0x20 || (ch >= 0x09 && ch <= 0x0d);
  return ch === 0xa0 || ch === 0x1680 || (ch >= 0x2000 && ch <= 0x200a) || ch === 0x2028 || ch === 0x2029 || ch === 0x202f || ch === 0x205f || ch === 0x3000 || ch === 0xfeff;
}

/** Where a line's first character other than white space is (`\S`), or -1. A loop, not a regular expression per line. */
function firstNonSpace(line: string): number {
  for (let i = 0; i < line.length; i += 1) if (!isSpace(line.charCodeAt(i))) return i;
  return -1;
}

function isQuoted(line: string): boolean {
  const at = firstNonSpace(line);
  return at !== -1 && line.charCodeAt(at) === 0x3e; // >
}

/**
 * Whether a line can start history at all, by its first non-blank character: every pattern above
 * begins with a dash, an underscore, `On`, `在`, a year, or a From line (`*`, F, 发, 寄), except
 * Gmail's Chinese attribution, which begins with the sender's name and ends with a colon. Most lines
 * are prose, and one search here spares them the patterns.
 */
function mayStartHistory(line: string): boolean {
  const at = firstNonSpace(line);
  if (at === -1) return false;
  const ch = line.charCodeAt(at);
  // - _ * 0-9 O o F f 在 发 寄
  if (ch === 0x2d || ch === 0x5f || ch === 0x2a || (ch >= 0x30 && ch <= 0x39) || ch === 0x4f || ch === 0x6f || ch === 0x46 || ch === 0x66 || ch === 0x5728 || ch === 0x53d1 || ch === 0x5bc4) return true;
  const trimmed = line.trimEnd();
  const last = trimmed.charCodeAt(trimmed.length - 1);
  return last === 0x3a || last === 0xff1a; // : ：
}

/**
 * The lines of a text, split off as they are asked for: the quoted history below the cut (often
 * most of a reply) is never cut into lines at all. `at(i)` is `text.split('\n')[i]`.
 */
class Lines {
  private readonly read: string[] = [];
  /** Where the unread rest of the text starts; -1 once the last line is read. */
  private rest = 0;

  constructor(private readonly text: string) {}

  at(index: number): string | undefined {
    while (this.read.length <= index && this.rest !== -1) {
      const lf = this.text.indexOf('\n', this.rest);
      this.read.push(lf === -1 ? this.text.slice(this.rest) : this.text.slice(this.rest, lf));
      this.rest = lf === -1 ? -1 : lf + 1;
    }
    return this.read[index];
  }
}

/** Index of the first line of history (the number of lines when there is none). */
function cutIndex(lines: Lines): number {
  let i = 0;
  for (let line = lines.at(0); line !== undefined; line = lines.at((i += 1))) {
    if (!mayStartHistory(line)) continue;
    if (CUT_LINES.some((pattern) => pattern.test(line))) return i;
    const next = lines.at(i + 1);
    if (next !== undefined && SPLIT_ATTRIBUTION_START.some((p) => p.test(line)) && SPLIT_ATTRIBUTION_END.test(next) && !isQuoted(line)) {
      return i;
    }
    // Forward banners: a rule of dashes directly above a From/Sent header block.
    if (/^\s*-{10,}\s*$/.test(line) && next !== undefined && FROM_LINE.test(next)) return i;
    // One "From:" line is something a customer may write; a header block needs a second header line.
    if (FROM_LINE.test(line) && [1, 2, 3].some((k) => BLOCK_HEADER.test(lines.at(i + k) ?? ''))) return i;
  }
  return i;
}

/**
 * The customer's new words: the text above the quoted history, without `>` lines or signature.
 * When stripping would leave nothing (a mail that is all quote), the whole text is kept, trimmed.
 *
 * @example
 * extractNewText('Thanks!\n\nOn Mon, 20 May 2024, Support <s@x> wrote:\n> Hi'); // 'Thanks!'
 */
export function extractNewText(text: string): string {
  const lines = new Lines(text.includes('\r') ? text.replace(/\r\n?/g, '\n') : text);
  const cut = cutIndex(lines);
  // One pass over the kept lines: quoted ones dropped, trailing blanks trimmed, and a run of blank
  // lines kept as one (what joining them and collapsing three or more line breaks into two gives).
  let result = '';
  let blank = false;
  for (let i = 0; i < cut; i += 1) {
    const line = lines.at(i)!;
    if (isQuoted(line)) continue;
    const trimmed = line.trimEnd();
    if (trimmed === '') {
      blank = true;
      continue;
    }
    result = result === '' ? trimmed : `${result}${blank ? '\n\n' : '\n'}${trimmed}`;
    blank = false;
  }
  result = result.trim();
  return result === '' ? text.trim() : result;
}
