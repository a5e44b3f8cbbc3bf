import { escapeHtml } from '../../http/escape.js';

/**
 * Horizontal bar charts as inline SVG: no script, no external font or image, so they show the
 * same in a browser and in mail clients that render SVG. The numbers are printed beside the bars
 * and repeated in the report's tables, so a client that drops SVG loses nothing.
 */

export interface BarRow {
  label: string;
  value: number;
}

export interface BarChartOptions {
  title: string;
  /** Longest bar in pixels; the others are proportional to it. Default 240. */
  barAreaWidth?: number;
  /** Width of the label column in pixels. Default 130. */
  labelWidth?: number;
  color?: string;
}

const ROW_HEIGHT = 22;
const BAR_HEIGHT = 14;
const TITLE_HEIGHT = 24;
const VALUE_WIDTH = 60;

/** Two decimals are plenty for pixels and keep the markup short and predictable. */
function px(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * The width of each bar: `value / max(values) · barAreaWidth`; all zero when every value is 0.
 *
 * @example
 * barWidths([1, 2, 4], 240); // [60, 120, 240]
 */
export function barWidths(values: readonly number[], barAreaWidth: number): number[] {
  const max = Math.max(0, ...values);
  return values.map((value) => (max > 0 && value > 0 ? px((value / max) * barAreaWidth) : 0));
}

/**
 * An SVG bar chart, one horizontal bar per row, each `rect` carrying `data-label` and `data-value`
 * so the chart can be checked (and read by assistive tools through the `<title>`).
 *
 * @example
 * barChartSvg([{ label: 'P1', value: 1 }, { label: 'P3', value: 6 }], { title: 'By priority' });
 */
export function barChartSvg(rows: readonly BarRow[], options: BarChartOptions): string {
  const barAreaWidth = options.barAreaWidth ?? 240;
  const labelWidth = options.labelWidth ?? 130;
  const color = /^#[0-9a-fA-F]{3,8}$/.test(options.color ?? '') ? (options.color as string) : '#3b6fb6';
  const width = labelWidth + barAreaWidth + VALUE_WIDTH;
  const height = TITLE_HEIGHT + rows.length * ROW_HEIGHT + 4;
  const widths = barWidths(
    rows.map((row) => row.value),
    barAreaWidth,
  );
  const title = escapeHtml(options.title);
  const bars = rows.map((row, i) => {
    const top = TITLE_HEIGHT + i * ROW_HEIGHT;
    const textY = top + BAR_HEIGHT - 2;
    const label = escapeHtml(row.label);
    const barWidth = widths[i] ?? 0;
    return (
      `<text x="${labelWidth - 8}" y="${textY}" text-anchor="end" font-size="12" fill="#333">${label}</text>` +
      `<rect x="${labelWidth}" y="${top}" width="${barWidth}" height="${BAR_HEIGHT}" fill="${color}" data-label="${label}" data-value="${row.value}"/>` +
      `<text x="${px(labelWidth + barWidth + 6)}" y="${textY}" font-size="12" fill="#333">${row.value}</text>`
    );
  });
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${title}" font-family="Arial, Helvetica, sans-serif">` +
    `<title>${title}</title>` +
    `<text x="0" y="15" font-size="13" font-weight="bold" fill="#222">${title}</text>` +
    bars.join('') +
    `</svg>`
  );
}
