import { describe, expect, it } from 'vitest';
import type { WeeklyReport } from '../../../../shared/domain/reporting.js';
import { reportToHtml } from '../../../../shared/templates/report/html.js';
import { fixtureReport } from './support.js';

/** The `<svg>` whose title is `title`. */
function svgTitled(page: string, title: string): string {
  const svg = [...page.matchAll(/<svg[\s\S]*?<\/svg>/g)].map((m) => m[0]).find((s) => s.includes(`<title>${title}</title>`));
  if (!svg) throw new Error(`no chart titled ${title}`);
  return svg;
}

function bars(svg: string): Array<{ width: number; value: number }> {
  return [...svg.matchAll(/<rect [^>]*width="([\d.]+)"[^>]*data-value="([\d.]+)"/g)].map((m) => ({ width: Number(m[1]), value: Number(m[2]) }));
}

function withHostileText(report: WeeklyReport): WeeklyReport {
  const [first, ...rest] = report.lowScores;
  return {
    ...report,
    volume: { ...report.volume, byTag: [{ key: '<img src=x onerror=alert(1)>', count: 1 }, ...report.volume.byTag] },
    lowScores: [{ ...(first as WeeklyReport['lowScores'][number]), summary: '<script>steal()</script>' }, ...rest],
  };
}

describe('reportToHtml', () => {
  const report = fixtureReport();
  const en = reportToHtml(report, 'en');
  const zh = reportToHtml(report, 'zh-CN');

  it('is a complete document in the requested language', () => {
    expect(en.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(en).toContain('<html lang="en">');
    expect(en).toContain('<title>Weekly support report 2024-W21</title>');
    expect(zh).toContain('<html lang="zh-CN">');
    expect(zh).toContain('<title>客服周报 2024-W21</title>');
    expect(zh).toContain('2024年5月20日 00:00（北京时间）');
  });

  it('escapes a script in a customer comment', () => {
    expect(en).not.toContain('<script>alert(1)</script>');
    expect(en).toContain('Took too long &lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('escapes markup in a summary and a tag', () => {
    const page = reportToHtml(withHostileText(report), 'en');

    expect(page).not.toMatch(/<script/i);
    expect(page).not.toContain('<img');
    expect(page).toContain('&lt;script&gt;steal()&lt;/script&gt;');
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('contains no script and loads nothing from outside', () => {
    for (const page of [en, zh]) {
      expect(page).not.toMatch(/<script|<link|<img|<iframe|@import|url\(|\bsrc=|\bhref=|\bon[a-z]+=/i);
    }
  });

  it('draws the volume charts with bars proportional to the counts', () => {
    const byPriority = bars(svgTitled(en, 'By priority'));
    const byType = bars(svgTitled(en, 'By type'));
    const byChannel = bars(svgTitled(en, 'By channel'));

    // P1 1, P2 2, P3 6, P4 2: the largest (6) fills 240 px, so one ticket is 40 px.
    expect(byPriority).toEqual([
      { value: 1, width: 40 },
      { value: 2, width: 80 },
      { value: 6, width: 240 },
      { value: 2, width: 80 },
    ]);
    // consultation 2, fault 4, after-sales 2, complaint 1, suggestion 1, other 1: 4 → 240, one → 60.
    expect(byType.map((b) => b.width)).toEqual([120, 240, 120, 60, 60, 60]);
    // email 7, form 2, phone 1, chat 1: 7 → 240, one → 240/7 = 34.2857… → 34.29.
    expect(byChannel.map((b) => b.width)).toEqual([240, 68.57, 34.29, 34.29]);
  });

  it('draws the satisfaction distribution', () => {
    // 1:1 2:1 3:1 4:2 5:2 → 2 fills 240 px.
    expect(bars(svgTitled(zh, '评分分布'))).toEqual([
      { value: 1, width: 120 },
      { value: 1, width: 120 },
      { value: 1, width: 120 },
      { value: 2, width: 240 },
      { value: 2, width: 240 },
    ]);
  });

  it('shows the week-on-week figures with signs and an empty percent against zero', () => {
    expect(en).toMatch(/Average satisfaction<\/td><td[^>]*>3\.43<\/td><td[^>]*>3\.67<\/td><td[^>]*>−0\.24<\/td><td[^>]*>−6\.54%<\/td>/);
    expect(en).toMatch(/Closed<\/td><td[^>]*>3<\/td><td[^>]*>0<\/td><td[^>]*>\+3<\/td><td[^>]*>—<\/td>/);
    expect(en).toMatch(/Survey response rate<\/td><td[^>]*>77\.78%<\/td><td[^>]*>75%<\/td><td[^>]*>\+2\.78 pp<\/td>/);
  });

  it('lists low scores with their QA outcome or as pending', () => {
    expect(en).toContain('refund-offered: late delivery, rude reply');
    expect(en).toMatch(/CS20240521002[\s\S]*?Pending/);
    expect(zh).toMatch(/CS20240521002[\s\S]*?待回访/);
  });

  it('says none where a week has no breaches or low scores', () => {
    const quiet: WeeklyReport = { ...report, breaches: { ...report.breaches, total: 0, byPriorityAndKind: [] }, lowScores: [] };

    const page = reportToHtml(quiet, 'en');

    expect(page).toMatch(/SLA breaches<\/h2>\s*<p>None<\/p>/);
    expect(page).toMatch(/Low scores<\/h2>\s*<p>None<\/p>/);
  });
});
