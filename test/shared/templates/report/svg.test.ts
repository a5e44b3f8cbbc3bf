import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { barChartSvg, barWidths } from '../../../../shared/templates/report/svg.js';

function rects(svg: string): Array<{ width: number; value: number; label: string }> {
  return [...svg.matchAll(/<rect [^>]*width="([\d.]+)"[^>]*data-label="([^"]*)" data-value="([\d.]+)"/g)].map((m) => ({
    width: Number(m[1]),
    label: m[2] ?? '',
    value: Number(m[3]),
  }));
}

describe('barWidths', () => {
  it('scales the largest value to the full width and the rest in proportion', () => {
    expect(barWidths([1, 2, 4, 0], 240)).toEqual([60, 120, 240, 0]);
  });

  it('draws no bars when every value is zero', () => {
    expect(barWidths([0, 0], 240)).toEqual([0, 0]);
  });

  it('keeps width / value the same for every non-zero bar (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 1, maxLength: 12 }), (values) => {
        const widths = barWidths(values, 240);
        const max = Math.max(...values);

        widths.forEach((width, i) => expect(width).toBeCloseTo(((values[i] as number) / max) * 240, 1));
        expect(Math.max(...widths)).toBe(240);
      }),
    );
  });
});

describe('barChartSvg', () => {
  it('draws one rect per row with proportional widths', () => {
    const svg = barChartSvg(
      [
        { label: 'P1', value: 1 },
        { label: 'P2', value: 2 },
        { label: 'P3', value: 6 },
        { label: 'P4', value: 0 },
      ],
      { title: 'By priority' },
    );

    expect(rects(svg)).toEqual([
      { label: 'P1', value: 1, width: 40 },
      { label: 'P2', value: 2, width: 80 },
      { label: 'P3', value: 6, width: 240 },
      { label: 'P4', value: 0, width: 0 },
    ]);
  });

  it('escapes labels and the title', () => {
    const svg = barChartSvg([{ label: '<script>x</script>', value: 1 }], { title: 'a & "b"' });

    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(svg).toContain('<title>a &amp; &quot;b&quot;</title>');
  });

  it('ignores a colour that is not a hex colour', () => {
    const svg = barChartSvg([{ label: 'a', value: 1 }], { title: 't', color: 'red" onload="x' });

    expect(svg).not.toContain('onload');
  });
});
