/**
 * Spam, virus and sender-authentication verdicts that SES adds to received mail. Only SES's own
 * stamps are trusted: headers further down were written by whoever sent the mail.
 */
import type { HeaderMap } from './automatic.js';

export type Verdict = 'PASS' | 'FAIL' | 'GRAY' | 'PROCESSING_FAILED';

export interface SesVerdicts {
  spam?: Verdict;
  virus?: Verdict;
  spf?: Verdict;
  dkim?: Verdict;
  dmarc?: Verdict;
}

function sesVerdict(value: string | undefined): Verdict | undefined {
  const token = value?.trim().toUpperCase();
  return token === 'PASS' || token === 'FAIL' || token === 'GRAY' || token === 'PROCESSING_FAILED' ? token : undefined;
}

/** RFC 8601 / RFC 7208 result words mapped onto SES's four verdicts. */
function authVerdict(result: string | undefined): Verdict | undefined {
  switch (result?.toLowerCase()) {
    case undefined:
      return undefined;
    case 'pass':
      return 'PASS';
    case 'fail':
    case 'hardfail':
      return 'FAIL';
    case 'softfail':
    case 'neutral':
    case 'none':
    case 'policy':
      return 'GRAY';
    case 'temperror':
    case 'permerror':
      return 'PROCESSING_FAILED';
    default:
      return undefined;
  }
}

/**
 * Reads the verdicts. SES prepends its Authentication-Results, so the first header stamped by
 * `amazonses.com` (or else the topmost) is the one to believe; Received-SPF is the fallback for SPF.
 *
 * @example
 * sesVerdicts({ 'x-ses-spam-verdict': ['FAIL'] }); // { spam: 'FAIL' }
 */
export function sesVerdicts(headers: HeaderMap): SesVerdicts {
  const result: SesVerdicts = {};
  const spam = sesVerdict(headers['x-ses-spam-verdict']?.[0]);
  const virus = sesVerdict(headers['x-ses-virus-verdict']?.[0]);
  if (spam) result.spam = spam;
  if (virus) result.virus = virus;
  const auth = headers['authentication-results'] ?? [];
  const ses = auth.find((value) => /^\s*amazonses\.com\b/i.test(value)) ?? auth[0];
  for (const method of ['spf', 'dkim', 'dmarc'] as const) {
    const verdict = authVerdict(ses ? new RegExp(`(?:^|[;\\s])${method}\\s*=\\s*([a-z]+)`, 'i').exec(ses)?.[1] : undefined);
    if (verdict) result[method] = verdict;
  }
  if (!result.spf) {
    const spf = authVerdict(/^\s*([a-z]+)/i.exec(headers['received-spf']?.[0] ?? '')?.[1]);
    if (spf) result.spf = spf;
  }
  return result;
}
