/**
 * Spam, virus and sender-authentication verdicts that SES adds to received mail. Only SES's own
 * stamps are trusted: headers further down were written by whoever sent the mail.
 */
import type { HeaderMap } from './automatic.js';
import { trustedVerdicts } from './authentication.js';

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
 * Reads the verdicts. SES prepends its Authentication-Results, so only the topmost header stamped
 * with the configured authserv-id is believed; without one there is no SPF, DKIM or DMARC verdict
 * (a sender-written header, or a Received-SPF line anyone can add, proves nothing).
 *
 * @example
 * sesVerdicts({ 'x-ses-spam-verdict': ['FAIL'] }); // { spam: 'FAIL' }
 */
export function sesVerdicts(headers: HeaderMap, authservId = 'amazonses.com'): SesVerdicts {
  const result: SesVerdicts = {};
  const spam = sesVerdict(headers['x-ses-spam-verdict']?.[0]);
  const virus = sesVerdict(headers['x-ses-virus-verdict']?.[0]);
  if (spam) result.spam = spam;
  if (virus) result.virus = virus;
  // Read as the sender check reads them (quotes and comments kept whole); a stamp holding more
  // results than the service writes says nothing, as if there were none.
  const ses = trustedVerdicts(headers, authservId);
  if (!ses || 'tampered' in ses) return result;
  for (const method of ['spf', 'dkim', 'dmarc'] as const) {
    const verdict = authVerdict(ses.results.find((found) => found.method === method)?.result);
    if (verdict) result[method] = verdict;
  }
  return result;
}
