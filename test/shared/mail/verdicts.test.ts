import { describe, expect, it } from 'vitest';
import { sesVerdicts } from '../../../shared/mail/verdicts.js';

describe('sesVerdicts', () => {
  it('reads the SES spam and virus verdicts', () => {
    expect(sesVerdicts({ 'x-ses-spam-verdict': ['FAIL'], 'x-ses-virus-verdict': ['PASS'] })).toEqual({ spam: 'FAIL', virus: 'PASS' });
  });

  it('ignores verdict values SES never writes', () => {
    expect(sesVerdicts({ 'x-ses-spam-verdict': ['MAYBE'] })).toEqual({});
  });

  it('reads spf, dkim and dmarc from Authentication-Results', () => {
    const headers = { 'authentication-results': ['amazonses.com; spf=pass smtp.mailfrom=x; dkim=fail header.i=@x; dmarc=softfail header.from=x'] };
    expect(sesVerdicts(headers)).toEqual({ spf: 'PASS', dkim: 'FAIL', dmarc: 'GRAY' });
  });

  it('believes the amazonses.com stamp over one the sender wrote', () => {
    const headers = { 'authentication-results': ['forged.example; spf=pass; dkim=pass; dmarc=pass', 'amazonses.com; spf=fail; dkim=fail; dmarc=fail'] };
    expect(sesVerdicts(headers)).toEqual({ spf: 'FAIL', dkim: 'FAIL', dmarc: 'FAIL' });
  });

  it('believes no Received-SPF line: anyone can write one', () => {
    expect(sesVerdicts({ 'received-spf': ['pass (permitted) client-ip=192.0.2.1;'] })).toEqual({});
  });

  it('believes no Authentication-Results of another authserv-id, even the topmost', () => {
    expect(sesVerdicts({ 'authentication-results': ['mx.forged.example; spf=pass; dkim=pass; dmarc=pass'] })).toEqual({});
  });

  it('maps temperror to PROCESSING_FAILED', () => {
    expect(sesVerdicts({ 'authentication-results': ['amazonses.com; spf=temperror smtp.mailfrom=a@b.example'] })).toEqual({ spf: 'PROCESSING_FAILED' });
  });
});
