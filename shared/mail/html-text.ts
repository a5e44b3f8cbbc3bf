/**
 * Plain text from customer HTML, for mail that has no text/plain part. The text is what agents and
 * keyword rules read, so scripts, styles, images and link targets stay out of the prose, and lines
 * are not re-wrapped (quote detection works on the customer's own lines; a `<blockquote>` becomes
 * `>` lines, as mail clients quote in text).
 *
 * htmlparser2's streaming parser (tokenizer, implied end tags, entities) with a small writer on
 * its callbacks: no DOM is built and nothing is matched against the markup, so time and memory
 * grow linearly with the HTML, whatever it holds (docs/mail-parsing.md). html-to-text did the same
 * on a DOM with CSS selectors, about twice the code in the bundle (docs/performance.md).
 *
 * Tables are the one thing held back: a table's events are kept until it closes (at most
 * `MAX_TABLE_BUFFER`), then a data table (one line per cell, no nested table, no spanning cell)
 * is written with its columns aligned, as a customer's order list or bill reads best; anything
 * else (a layout table, paragraphs in cells, a table over the bound) is written row by row as it
 * streams, cells three spaces apart. Each event is kept once and written once, so time stays linear.
 */
import { Parser, type Handler } from 'htmlparser2';

/** Elements whose content is never prose: dropped with everything inside. */
const SKIPPED = new Set(['script', 'style', 'head', 'title', 'template', 'svg', 'math', 'iframe', 'object', 'select', 'textarea']);

/** Line breaks an element asks for before and after it: 2 sets it apart as a paragraph, 1 puts it on its own line. */
const BLOCK_BREAKS: Record<string, number> = {
  p: 2,
  h1: 2,
  h2: 2,
  h3: 2,
  h4: 2,
  h5: 2,
  h6: 2,
  blockquote: 2,
  pre: 2,
  table: 2,
  hr: 2,
  address: 2,
  figure: 2,
  fieldset: 2,
  ul: 2,
  ol: 2,
  dl: 2,
  div: 1,
  section: 1,
  article: 1,
  header: 1,
  footer: 1,
  main: 1,
  nav: 1,
  aside: 1,
  center: 1,
  form: 1,
  details: 1,
  summary: 1,
  figcaption: 1,
  caption: 1,
  legend: 1,
  tr: 1,
  li: 1,
  dt: 1,
  dd: 1,
  menu: 1,
  dir: 1,
};

/** Deeper quotes and lists are written at this depth: hostile nesting cannot make every line longer than the mail. */
const MAX_DEPTH = 8;
/** Elements one parser may hold open before it is replaced (see `htmlToPlainText`). */
const MAX_OPEN_ELEMENTS = 1_000;
/** Input is handed to the parser in pieces this long, so a stopped parser wastes little. */
const CHUNK = 64 * 1024;
const HORIZONTAL_RULE = '-'.repeat(40);
const COLLAPSIBLE = /[ \t\n\r\f]+/g;
/** Events and text characters one table may hold back before it is written as it streams. */
const MAX_TABLE_BUFFER = 64 * 1024;
/** A cell wider than this (in columns) makes the table a layout, not data: padding others to it would help nobody. */
const MAX_ALIGNED_CELL_WIDTH = 60;
const COLUMN_GAP = '   ';
/** A table's own structure: these never make a cell more than one line. */
const TABLE_PARTS = new Set(['thead', 'tbody', 'tfoot', 'colgroup', 'col']);
/** Elements a cell of an aligned table may not hold: each adds quote marks, list markers or kept line ends. */
const MULTI_LINE = new Set(['ul', 'ol', 'menu', 'dir', 'li', 'dl', 'dt', 'dd', 'blockquote', 'pre', 'hr', 'caption', 'table']);
const LISTS = new Set(['ul', 'ol', 'menu', 'dir']);

interface ListLevel {
  ordered: boolean;
  next: number;
  /** Width of this level's markers: lines of an item after its first are indented as far. */
  width: number;
}

/** Writes text as lines, with the line breaks, quote marks and list markers blocks ask for. */
class TextWriter {
  private readonly lines: string[] = [];
  private line = '';
  /** The current line holds words; it is ended only when words come after a line break. */
  private lineHasText = false;
  /** The first words written were an aligned table's row, whose leading padding (an empty first cell) is part of the alignment. */
  private startsAligned: boolean | undefined;
  /** Line breaks owed before the next words (blocks ask for at least n; `<br>` adds one). */
  private breaks = 0;
  private space = false;
  private cellGap = false;
  private quoteDepth = 0;
  private readonly lists: ListLevel[] = [];
  /** The marker (`* `, `3. `) the next line starts with, once. */
  private marker: string | undefined;

  get inList(): boolean {
    return this.lists.length > 0;
  }

  quote(delta: 1 | -1): void {
    this.quoteDepth = Math.max(0, this.quoteDepth + delta);
  }

  openList(ordered: boolean, start: number): void {
    this.lists.push({ ordered, next: start, width: 2 });
  }

  closeList(): void {
    this.lists.pop();
    this.marker = undefined;
  }

  openItem(): void {
    const level = this.lists.at(-1);
    if (!level) return;
    this.marker = level.ordered ? `${level.next}. ` : '* ';
    level.next += 1;
    level.width = this.marker.length;
  }

  /** Asks for at least `count` line breaks before the next words (none before the first words). */
  block(count: number): void {
    this.breaks = Math.max(this.breaks, count);
    this.space = false;
    this.cellGap = false;
  }

  lineBreak(): void {
    this.breaks += 1;
    this.space = false;
  }

  /** A table cell: set apart from the row's previous cell on the same line. */
  cell(): void {
    this.cellGap = true;
  }

  rule(): void {
    this.block(2);
    this.write(HORIZONTAL_RULE);
    this.block(2);
  }

  /** Quote marks, then the list indentation (or the item's marker on its first line). */
  private prefix(): string {
    const quote = this.quoteDepth > 0 ? '> '.repeat(Math.min(this.quoteDepth, MAX_DEPTH)) : '';
    const levels = this.lists.slice(0, MAX_DEPTH);
    if (levels.length === 0) return quote;
    const outer = levels.slice(0, -1).reduce((indent, level) => indent + ' '.repeat(level.width), '');
    const marker = this.marker ?? ' '.repeat(levels.at(-1)!.width);
    this.marker = undefined;
    return quote + outer + marker;
  }

  /** Words as they are (already collapsed, or preformatted). */
  private write(words: string): void {
    if (this.breaks > 0 && this.lineHasText) {
      this.lines.push(this.line);
      // A blank line inside a quote stays part of it; the one before a quote starts does not.
      const blank = this.quoteDepth > 0 && this.line.startsWith('>') ? '>' : '';
      for (let i = 1; i < this.breaks; i += 1) this.lines.push(blank);
      this.lineHasText = false;
    }
    if (this.lineHasText) this.line += (this.cellGap ? '   ' : this.space ? ' ' : '') + words;
    else this.line = this.prefix() + words;
    this.lineHasText = true;
    this.breaks = 0;
    this.space = false;
    this.cellGap = false;
  }

  /** Prose: runs of whitespace are one space, and spaces at the start of a line go. */
  text(data: string): void {
    const collapsed = data.replace(COLLAPSIBLE, ' ');
    const words = collapsed.trim();
    if (collapsed.startsWith(' ')) this.space = true;
    if (words === '') return;
    this.write(words);
    if (collapsed.endsWith(' ')) this.space = true;
  }

  /** Rows of a data table, each cell padded to its column's width (East Asian wide characters count 2). */
  alignedTable(rows: readonly string[][]): void {
    const widths: number[] = [];
    for (const row of rows) row.forEach((cell, column) => (widths[column] = Math.max(widths[column] ?? 0, displayWidth(cell))));
    this.block(2);
    this.startsAligned ??= this.lines.length === 0 && !this.lineHasText;
    rows.forEach((row, index) => {
      if (index > 0) this.lineBreak();
      this.write(row.map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat((widths[column] ?? 0) - displayWidth(cell)))).join(COLUMN_GAP).trimEnd());
    });
    this.block(2);
  }

  /** Preformatted text: its spaces and line ends are kept. */
  preformatted(data: string): void {
    data
      .replace(/\r\n?/g, '\n')
      .split('\n')
      .forEach((line, index) => {
        if (index > 0) this.lineBreak();
        if (line !== '') this.write(line);
      });
  }

  finish(): string {
    if (this.lineHasText) this.lines.push(this.line);
    const text = this.lines
      .map((line) => line.trimEnd())
      .join('\n')
      .replace(/\n{3,}/g, '\n\n');
    return this.startsAligned ? text.replace(/^\n+/, '').trimEnd() : text.trim();
  }
}

/**
 * Converts HTML to readable plain text.
 *
 * @example
 * htmlToPlainText('<p>Hi <b>team</b></p><script>x()</script>'); // 'Hi team'
 */
export function htmlToPlainText(html: string): string {
  const writer = new TextWriter();
  // Names of the skipped elements open around the cursor; text is written only when there is none.
  const skipping: string[] = [];
  let preformatted = 0;
  // Elements the current parser holds open, and where (in its input) it was stopped for holding too many.
  let open = 0;
  let stoppedAfter = -1;
  let parser: Parser;
  // The table being held back (see the module comment), and how deep inside tables that are being
  // written as they stream (one that was over the bound, or nested in one) the parser is.
  let table: { events: TableEvent[]; size: number; depth: number } | undefined;
  let streamingTables = 0;

  const write = {
    open(name: string, attributes: Record<string, string>): void {
      if (name === 'body') {
        // A body always ends the head, even one left open.
        const head = skipping.indexOf('head');
        if (head !== -1) skipping.length = head;
      }
      if (SKIPPED.has(name)) {
        skipping.push(name);
        return;
      }
      if (skipping.length > 0) return;
      const breaks = LISTS.has(name) && writer.inList ? 1 : BLOCK_BREAKS[name];
      if (breaks !== undefined) writer.block(breaks);
      switch (name) {
        case 'br':
          writer.lineBreak();
          break;
        case 'hr':
          writer.rule();
          break;
        case 'blockquote':
          writer.quote(1);
          break;
        case 'pre':
          preformatted += 1;
          break;
        case 'ul':
        case 'ol':
        case 'menu':
        case 'dir': {
          const start = Number.parseInt(attributes.start ?? '1', 10);
          writer.openList(name === 'ol', Number.isSafeInteger(start) ? start : 1);
          break;
        }
        case 'li':
          writer.openItem();
          break;
        case 'td':
        case 'th':
          writer.cell();
          break;
      }
    },
    close(name: string): void {
      if (skipping.length > 0) {
        if (skipping.at(-1) === name) skipping.pop();
        return;
      }
      switch (name) {
        case 'blockquote':
          writer.quote(-1);
          break;
        case 'pre':
          preformatted = Math.max(0, preformatted - 1);
          break;
        case 'ul':
        case 'ol':
        case 'menu':
        case 'dir':
          writer.closeList();
          break;
      }
      // After the element's own state is undone: a list's closing break is the outer list's.
      const breaks = LISTS.has(name) && writer.inList ? 1 : BLOCK_BREAKS[name];
      if (breaks !== undefined && name !== 'hr') writer.block(breaks);
    },
    text(data: string): void {
      if (skipping.length > 0) return;
      if (preformatted > 0) writer.preformatted(data);
      else writer.text(data.replace(/\u00a0/g, ' '));
    },
  };

  /**
   * Writes held-back events: each whole data table among them aligned, the rest as it would have
   * streamed (a layout table around an order list still shows the list aligned). A table that is
   * not data fails at the latest at the next table it holds, so no event is examined twice.
   */
  const replay = (events: readonly TableEvent[]) => {
    for (let index = 0; index < events.length; index += 1) {
      const event = events[index]!;
      if (event.kind === 'open' && event.name === 'table' && skipping.length === 0 && preformatted === 0) {
        const data = dataTable(events, index);
        if (data) {
          writer.alignedTable(data.rows);
          index = data.end;
          continue;
        }
      }
      if (event.kind === 'open') write.open(event.name, event.attributes);
      else if (event.kind === 'close') write.close(event.name);
      else write.text(event.data);
    }
  };
  /** The held-back table goes out as it streams, and the rest of it (if still open) streams too. */
  const letTableGo = () => {
    if (!table) return;
    const { events, depth } = table;
    table = undefined;
    streamingTables = depth;
    replay(events);
  };
  const hold = (event: TableEvent, size: number) => {
    table!.events.push(event);
    table!.size += size;
    if (table!.size > MAX_TABLE_BUFFER) letTableGo();
  };

  const handlers: Partial<Handler> = {
    onopentag(name, attributes) {
      open += 1;
      if (open > MAX_OPEN_ELEMENTS && stoppedAfter < 0) {
        stoppedAfter = parser.endIndex + 1;
        parser.pause();
      }
      if (table) {
        if (name === 'table') table.depth += 1;
        hold({ kind: 'open', name, attributes }, 1);
        return;
      }
      if (name === 'table') {
        if (streamingTables > 0 || skipping.length > 0 || preformatted > 0) streamingTables += 1;
        else {
          table = { events: [{ kind: 'open', name, attributes }], size: 1, depth: 1 };
          return;
        }
      }
      write.open(name, attributes);
    },
    onclosetag(name) {
      open -= 1;
      if (table) {
        const closesTable = name === 'table' && --table.depth === 0;
        hold({ kind: 'close', name }, 1);
        if (closesTable && table) {
          const { events } = table;
          table = undefined;
          replay(events);
        }
        return;
      }
      if (name === 'table' && streamingTables > 0) streamingTables -= 1;
      write.close(name);
    },
    ontext(data) {
      if (table) hold({ kind: 'text', data }, data.length);
      else write.text(data);
    },
  };
  // htmlparser2 keeps its open elements in an array it shifts at the front, so its time grows with
  // the square of the nesting: 200,000 unclosed <div> took 16 s. A parser holding more than
  // MAX_OPEN_ELEMENTS is stopped after that tag and a fresh one goes on from there: quotes and lists
  // it held keep their depth in the writer, their end tags (unknown to the fresh parser) change
  // nothing, and skipped elements it held are let go (the rest is written rather than lost).
  const start = () => {
    parser = new Parser(handlers, { decodeEntities: true });
    open = 0;
    stoppedAfter = -1;
    // The fresh parser never closes what the old one held open: a table held back goes out as it streamed.
    letTableGo();
    streamingTables = 0;
  };
  start();
  let begun = 0;
  let fed = 0;
  while (fed < html.length) {
    const end = Math.min(html.length, fed + CHUNK);
    parser!.write(html.slice(fed, end));
    fed = end;
    if (stoppedAfter >= 0) {
      fed = begun + stoppedAfter;
      begun = fed;
      skipping.length = 0;
      start();
    }
  }
  parser!.end();
  letTableGo();
  return writer.finish();
}

type TableEvent = { kind: 'open'; name: string; attributes: Record<string, string> } | { kind: 'close'; name: string } | { kind: 'text'; data: string };

/**
 * The rows of the table that opens at `events[from]`, and the index of its closing event, when it
 * is data: closed within `events`, at least two columns, every cell one line of at most
 * `MAX_ALIGNED_CELL_WIDTH` columns, no nested table, no cell spanning columns or rows, no text
 * outside cells. Undefined for anything else (as soon as it shows), which is then written as it streams.
 */
function dataTable(events: readonly TableEvent[], from: number): { rows: string[][]; end: number } | undefined {
  const rows: string[][] = [];
  let row: string[] | undefined;
  let cell: string | undefined;
  // The cell ended a line (a block or <br> after its text): more text would make it a second line.
  let cellBroken = false;
  let skipped = 0;
  let tables = 0;
  const endCell = () => {
    if (cell === undefined) return;
    row!.push(cell.replace(COLLAPSIBLE, ' ').trim());
    cell = undefined;
  };
  let end = -1;
  for (let index = from; index < events.length && end < 0; index += 1) {
    const event = events[index]!;
    if (event.kind === 'text') {
      if (skipped > 0) continue;
      if (cell === undefined) {
        if (event.data.trim() !== '') return undefined;
        continue;
      }
      const data = event.data.replace(/\u00a0/g, ' ');
      if (cellBroken && data.trim() !== '') return undefined;
      cell += data;
      continue;
    }
    const { name } = event;
    if (SKIPPED.has(name)) {
      skipped += event.kind === 'open' ? 1 : -1;
      continue;
    }
    if (skipped > 0) continue;
    if (event.kind === 'close') {
      if (name === 'td' || name === 'th') endCell();
      else if (name === 'tr') {
        endCell();
        row = undefined;
      } else if (name === 'table') {
        endCell();
        end = index;
      } else if (cell !== undefined && BLOCK_BREAKS[name] !== undefined && cell.trim() !== '') cellBroken = true;
      continue;
    }
    if (name === 'table') {
      if ((tables += 1) > 1) return undefined;
    } else if (name === 'tr') {
      endCell();
      row = [];
      rows.push(row);
    } else if (name === 'td' || name === 'th') {
      const { colspan = '1', rowspan = '1' } = event.attributes;
      if (colspan.trim() !== '1' || rowspan.trim() !== '1') return undefined;
      endCell();
      if (!row) rows.push((row = []));
      cell = '';
      cellBroken = false;
    } else if (MULTI_LINE.has(name)) return undefined;
    else if (cell !== undefined && (name === 'br' || BLOCK_BREAKS[name] !== undefined) && cell.trim() !== '') cellBroken = true;
    else if (cell === undefined && !TABLE_PARTS.has(name)) return undefined;
  }
  if (end < 0) return undefined;
  const kept = rows.filter((candidate) => candidate.some((value) => value !== ''));
  if (!kept.some((candidate) => candidate.length >= 2)) return undefined;
  if (kept.some((candidate) => candidate.some((value) => displayWidth(value) > MAX_ALIGNED_CELL_WIDTH))) return undefined;
  return { rows: kept, end };
}

/** Columns a string takes in a fixed-width font: East Asian wide and full-width characters take two. */
function displayWidth(text: string): number {
  let width = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    width +=
      (code >= 0x1100 && code <= 0x115f) ||
      (code >= 0x2e80 && code <= 0xa4cf && code !== 0x303f) ||
      (code >= 0xac00 && code <= 0xd7a3) ||
      (code >= 0xf900 && code <= 0xfaff) ||
      (code >= 0xfe30 && code <= 0xfe4f) ||
      (code >= 0xff00 && code <= 0xff60) ||
      (code >= 0xffe0 && code <= 0xffe6) ||
      (code >= 0x20000 && code <= 0x3fffd)
        ? 2
        : 1;
  }
  return width;
}
