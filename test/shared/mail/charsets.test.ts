import iconv from 'iconv-lite';
import fc from 'fast-check';
import chardet from 'chardet';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { chardetMayName, chardetVerdictAmong, decodeBytes, hasCertainError, decodeEncodedWords, decodeEncodedWordsReporting, withEveryReadingDecoded, decodeRawHeaderBytes, detectCharset, isValidUtf8, normaliseCharset, sniffDecode } from '../../../shared/mail/charsets.js';

describe('normaliseCharset', () => {
  it.each([
    ['GB2312', 'gb18030'],
    ['x-gbk', 'gb18030'],
    ['cp936', 'gb18030'],
    ['ks_c_5601-1987', 'euc-kr'],
    ['big5-hkscs', 'big5'],
    ['"utf-8"', 'utf-8'],
    ['utf-8*zh-cn', 'utf-8'],
    ['ISO-8859-1', 'windows-1252'],
  ])('maps %s to %s', (label, want) => {
    expect(normaliseCharset(label)).toBe(want);
  });

  it.each([['unknown-8bit'], ['x-unknown'], [''], ['no-such-charset']])('treats %s as unknown', (label) => {
    expect(normaliseCharset(label)).toBeUndefined();
  });
});

describe('sniffDecode', () => {
  it('keeps a declared charset that decodes cleanly', () => {
    expect(sniffDecode(iconv.encode('訂單', 'big5'), 'big5')).toEqual({ text: '訂單', charset: 'big5' });
  });

  it('reads UTF-8 bytes under an unknown label', () => {
    expect(sniffDecode(Buffer.from('退款', 'utf8'), 'unknown-8bit')).toEqual({ text: '退款', charset: 'utf-8' });
  });

  it('reads GBK bytes without a label as GB18030', () => {
    expect(sniffDecode(iconv.encode('支付失败', 'gbk'), undefined)).toEqual({ text: '支付失败', charset: 'gb18030' });
  });

  it('reads UTF-8 mislabelled as Latin-1 as UTF-8', () => {
    expect(sniffDecode(Buffer.from('Café', 'utf8'), 'iso-8859-1').text).toBe('Café');
  });

  it('decodes windows-1252 punctuation the runtime decoder loses', () => {
    expect(sniffDecode(iconv.encode('“€”', 'windows-1252'), 'windows-1252').text).toBe('“€”');
  });

  it('decodes four-byte GB18030 characters labelled gb2312', () => {
    expect(sniffDecode(iconv.encode('字𠀀', 'gb18030'), 'gb2312').text).toBe('字𠀀');
  });
});

describe('isValidUtf8', () => {
  it('agrees with a strict TextDecoder on arbitrary bytes', () => {
    const strict = new TextDecoder('utf-8', { fatal: true });
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        let valid = true;
        try {
          strict.decode(bytes);
        } catch {
          valid = false;
        }
        expect(isValidUtf8(bytes)).toBe(valid);
      }),
    );
  });
});

describe('decodeEncodedWords', () => {
  it('joins a multi-byte character split across adjacent words', () => {
    const bytes = Buffer.from('订单', 'utf8');
    const value = `=?UTF-8?B?${bytes.subarray(0, 2).toString('base64')}?= =?UTF-8?B?${bytes.subarray(2).toString('base64')}?=`;
    expect(decodeEncodedWords(value)).toBe('订单');
  });

  it('keeps the text between words that are not adjacent', () => {
    expect(decodeEncodedWords('Re: =?UTF-8?Q?caf=C3=A9?= and =?UTF-8?Q?th=C3=A9?=')).toBe('Re: café and thé');
  });

  it('decodes Q-encoding underscores as spaces', () => {
    expect(decodeEncodedWords('=?ISO-8859-1?Q?Probl=E8me_de_livraison?=')).toBe('Problème de livraison');
  });

  it('sniffs the bytes of a word with an unknown charset label', () => {
    expect(decodeEncodedWords(`=?unknown-8bit?B?${iconv.encode('退款', 'gbk').toString('base64')}?=`)).toBe('退款');
  });

  it('reads a Q word\'s bytes as RFC 2047 says: `_` a space, `=XX` a byte, a stray `=` itself (the same text as those bytes in a B word)', () => {
    const qBytes = (payload: string): Buffer => {
      const bytes: number[] = [];
      for (let i = 0; i < payload.length; i += 1) {
        if (payload[i] === '_') bytes.push(0x20);
        else if (payload[i] === '=' && /^[0-9a-fA-F]{2}$/.test(payload.slice(i + 1, i + 3))) {
          bytes.push(parseInt(payload.slice(i + 1, i + 3), 16));
          i += 2;
        } else bytes.push(payload.charCodeAt(i) & 0xff);
      }
      return Buffer.from(bytes);
    };
    const unit = fc.oneof(fc.constantFrom('_', '=', '=E9', '=e8', '=C3=A9', '=G1', '=4', 'a', 'Z', '=3D', '=8'), fc.integer({ min: 0x21, max: 0x7e }).map((c) => String.fromCharCode(c)).filter((c) => c !== '?'));
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 20 }).map((units) => units.join('')), fc.constantFrom('UTF-8', 'ISO-8859-1', 'GBK'), (payload, label) => {
        expect(decodeEncodedWords(`=?${label}?Q?${payload}?=`)).toBe(decodeEncodedWords(`=?${label}?B?${qBytes(payload).toString('base64')}?=`));
      }),
      { numRuns: 500 },
    );
  });

  it('leaves values without encoded words alone', () => {
    fc.assert(fc.property(fc.string().filter((s) => !s.includes('=?')), (s) => {
        expect(decodeEncodedWords(s)).toBe(s);
      }),
    );
  });
});

describe('decodeBytes: euc-kr reads cp949 (UHC), as WHATWG does', () => {
  it('decodes every one of the 8,822 extension syllables as cp949 defines them', () => {
    const cells: number[] = [];
    for (let lead = 0x81; lead <= 0xc6; lead += 1) {
      for (let trail = 0x41; trail <= (lead <= 0xa0 ? 0xfe : 0xa0); trail += 1) {
        if ((trail > 0x5a && trail < 0x61) || (trail > 0x7a && trail < 0x81) || (lead === 0xc6 && trail > 0x52)) continue;
        cells.push(lead, trail);
      }
    }
    const bytes = Buffer.from(cells);
    const want = iconv.decode(bytes, 'cp949');
    expect(want).toMatch(/^[\uAC00-\uD7A3]{8822}$/u);
    expect(decodeBytes(bytes, 'euc-kr')).toBe(want);
  });

  it('reads extension syllables among KS X 1001 text and ASCII', () => {
    const text = '똠양꿍 세트, 쌰브샤브 소스 (햏) €5 ®';
    expect(decodeBytes(iconv.encode(text, 'cp949'), 'euc-kr')).toBe(text);
  });

  it('shows bytes outside cp949 as one U+FFFD each and reads an ASCII trail byte again', () => {
    // 0xC7 0x41: no cell (0xC7 takes only trail bytes from 0xA1); 0x80: never a lead; 0xB0 at the end: no trail.
    expect(decodeBytes(Buffer.from([0x61, 0xc7, 0x41, 0x80, 0xb0, 0xa1, 0xc6, 0x53, 0xb0]), 'euc-kr')).toBe('a\uFFFDA\uFFFD가\uFFFDS\uFFFD');
  });

  it('hands text without extension cells to the runtime decoder unchanged', () => {
    const bytes = iconv.encode('결제가 두 번 되었습니다.', 'cp949');
    expect(decodeBytes(bytes, 'euc-kr')).toBe(new TextDecoder('euc-kr').decode(bytes));
  });
});

describe('decodeRawHeaderBytes', () => {
  it('reads raw UTF-8 header bytes as UTF-8', () => {
    expect(decodeRawHeaderBytes(Buffer.from('王芳', 'utf8'), 'gbk').text).toBe('王芳');
  });

  it('reads raw GBK header bytes as GB18030 even under a Latin-1 hint', () => {
    expect(decodeRawHeaderBytes(iconv.encode('王芳', 'gbk'), 'iso-8859-1')).toEqual({ text: '王芳', charset: 'gb18030' });
  });
});

describe('decodeBytes: charsets the runtime decoder lacks', () => {
  it('decodes UTF-7 (RFC 2152), "+-" being a plus sign', () => {
    expect(decodeBytes(Buffer.from('Hi +ZeVnLIqe-, a+-b'), 'utf-7')).toBe('Hi 日本語, a+b');
  });

  it("decodes HZ-GB-2312 (RFC 1843's own example)", () => {
    expect(decodeBytes(Buffer.from('~{<:Ky2;S{#,NpJ)l6HK!#~}Bye.'), normaliseCharset('HZ-GB-2312'))).toBe('己所不欲，勿施於人。Bye.');
  });

  it('decodes ISO-2022-KR shifts (RFC 1557)', () => {
    expect(decodeBytes(Buffer.from([0x1b, 0x24, 0x29, 0x43, 0x0e, 0x30, 0x21, 0x0f, 0x41]), normaliseCharset('ISO-2022-KR'))).toBe('가A');
  });

  it('decodes windows-1252 0x80-0x9F as the code page does, not as C1 controls', () => {
    expect(decodeBytes(Buffer.from([0x80, 0x93, 0x94, 0x96]), 'windows-1252')).toBe('€“”–');
  });
});

describe('what detection costs', () => {
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('does not run chardet when the byte structure already decides', () => {
    const analyse = vi.spyOn(chardet, 'analyse');
    // Kana: no other double-byte set reads these bytes cleanly, so chardet's half point changes nothing.
    const text = 'お問い合わせありがとうございます。注文した商品がまだ届いていません。確認をお願いします。';
    expect(detectCharset(iconv.encode(text, 'shift_jis'), undefined)).toEqual({ text, charset: 'shift_jis' });
    expect(analyse).not.toHaveBeenCalled();
  });

  it('asks chardet when only it can tell (single-byte text without a label)', () => {
    const analyse = vi.spyOn(chardet, 'analyse');
    const text = 'Здравствуйте, мой заказ до сих пор не доставлен, помогите пожалуйста.';
    expect(detectCharset(iconv.encode(text, 'windows-1251'), undefined).text).toBe(text);
    expect(analyse).toHaveBeenCalledTimes(1);
  });

  it('keeps a single-byte label without chardet when no double-byte reading could be clear', () => {
    const analyse = vi.spyOn(chardet, 'analyse');
    // Accented letters before a space or a letter form Big5 and Shift_JIS lead bytes, but no set reads them cleanly.
    const text = "Bonjour, mon colis n'est pas arrivé à Besançon. Merci, Hélène";
    expect(sniffDecode(iconv.encode(text, 'latin1'), 'ISO-8859-1')).toEqual({ text, charset: 'windows-1252' });
    expect(analyse).not.toHaveBeenCalled();
  });

  it('still overrules a single-byte label when the bytes read clearly as a double-byte set', () => {
    const text = '您好，我的订单显示已签收，但是我没有收到货。';
    expect(sniffDecode(iconv.encode(text, 'gbk'), 'iso-8859-1')).toEqual({ text, charset: 'gb18030' });
    const big5 = '您好，我的訂單顯示已簽收，但是我沒有收到貨。';
    expect(sniffDecode(iconv.encode(big5, 'big5'), 'windows-1252')).toEqual({ text: big5, charset: 'big5' });
  });

  it('does not decode rival charsets when the declared one reads like its language', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    expect(sniffDecode(iconv.encode('退款申请已经提交，请尽快处理', 'gbk'), 'gb2312').charset).toBe('gb18030');
    expect(decode).toHaveBeenCalledTimes(1);
  });

  it('does not run chardet on a raw GBK field beside a GBK header block when only an unsure rival could win', () => {
    const analyse = vi.spyOn(chardet, 'analyse');
    // A raw 8-bit filename parameter: with the block's gb18030 as hint, only an EUC-JP verdict from
    // chardet could overrule it (合同 reads as two common kanji there too), and chardet's EUC-JP
    // recogniser is not sure of these bytes.
    const field = Buffer.concat([Buffer.from(' application/msword; name="'), iconv.encode('合同.doc', 'gbk'), Buffer.from('"')]);
    expect(decodeRawHeaderBytes(field, 'gb18030')).toEqual({ text: ' application/msword; name="合同.doc"', charset: 'gb18030' });
    expect(analyse).not.toHaveBeenCalled();
  });
});

/** chardet's sure verdict as detection counts it: the first match at confidence 50 or more that names a decoder. */
const sureVerdict = (bytes: Uint8Array): string | undefined =>
  chardet
    .analyse(bytes)
    .filter((match) => match.confidence >= 50)
    .map((match) => normaliseCharset(match.name))
    .find((name) => name !== undefined);

describe('chardetMayName', () => {
  const sets = ['gb18030', 'big5', 'euc-kr', 'shift_jis', 'euc-jp'];
  const texts = [
    '您好，我的订单显示已签收，但是我没有收到货，请帮忙查询物流。',
    '您好，我的訂單顯示已簽收，但是我沒有收到貨，請幫忙查詢物流。',
    '안녕하세요, 주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.',
    'お問い合わせありがとうございます。注文した商品がまだ届いていません。',
    'Bonjour, mon colis n’est pas arrivé à Besançon. Merci, Hélène',
  ];
  const encodings = ['gbk', 'big5', 'euc-kr', 'shift_jis', 'euc-jp', 'windows-1252'];

  it('is never false for a set that chardet names as its sure verdict (real text in every set)', () => {
    let named = 0;
    for (const text of texts) {
      for (const encoding of encodings) {
        const bytes = iconv.encode(text, encoding);
        const verdict = sureVerdict(bytes);
        if (verdict && sets.includes(verdict)) named += 1;
        for (const set of sets) if (verdict === set) expect(chardetMayName(bytes, [set]), `${encoding} ${text}`).toBe(true);
      }
    }
    // The property is exercised where chardet is sure, not only where it never is.
    expect(named).toBeGreaterThan(5);
  });

  it('is never false for a set that chardet names as its sure verdict (random double-byte-like bytes)', () => {
    const cell = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((b) => [b]),
      fc.tuple(fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x40, max: 0xfe })).map(([lead, trail]) => [lead, trail]),
      fc.tuple(fc.integer({ min: 0xb0, max: 0xd7 }), fc.integer({ min: 0xa1, max: 0xfe })).map(([lead, trail]) => [lead, trail]),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 16, maxLength: 120 }), fc.subarray(sets, { minLength: 1 }), (cells, rivals) => {
        const bytes = Uint8Array.from(cells.flat());
        const verdict = sureVerdict(bytes);
        if (verdict !== undefined && rivals.includes(verdict)) expect(chardetMayName(bytes, rivals)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('cannot tell for a set without a recogniser of its own, and says so', () => {
    expect(chardetMayName(Buffer.from('plain words'), ['iso-2022-jp'])).toBe(true);
  });
});

describe('chardetVerdictAmong', () => {
  const names = ['gb18030', 'big5', 'euc-kr', 'shift_jis', 'euc-jp', 'utf-8', 'utf-16le', 'iso-2022-jp', 'windows-1252', 'windows-1251', 'koi8-r', 'iso-8859-2'];
  const expected = (bytes: Uint8Array, among: string[]) => {
    const verdict = bytes.length < 32 ? undefined : sureVerdict(bytes);
    return verdict !== undefined && among.includes(verdict) ? verdict : undefined;
  };

  it('gives chardet\'s own sure verdict when it is among the sets asked about, and nothing otherwise (real text)', () => {
    const texts = [
      '您好，我的订单显示已签收，但是我没有收到货，请帮忙查询物流。',
      '您好，我的訂單顯示已簽收，但是我沒有收到貨，請幫忙查詢物流。',
      '안녕하세요, 주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.',
      'お問い合わせありがとうございます。注文した商品がまだ届いていません。',
      'Здравствуйте, мой заказ до сих пор не доставлен, помогите пожалуйста.',
      'Bonjour, mon colis n’est pas arrivé à Besançon. Merci, Hélène',
      'Plain ASCII words only, long enough for chardet to be sure of them.',
    ];
    let found = 0;
    for (const text of texts) {
      for (const encoding of ['gbk', 'big5', 'euc-kr', 'shift_jis', 'euc-jp', 'windows-1252', 'windows-1251', 'koi8-r', 'utf-16le', 'utf-8']) {
        const bytes = iconv.encode(text, encoding);
        for (let i = 0; i < names.length; i += 1) {
          const among = [names[i]!, names[(i + 5) % names.length]!];
          const want = expected(bytes, among);
          if (want) found += 1;
          expect(chardetVerdictAmong(bytes, among), `${encoding} ${among.join(',')} ${text}`).toBe(want);
        }
      }
    }
    expect(found).toBeGreaterThan(10);
  });

  it('gives chardet\'s own sure verdict when it is among the sets asked about, and nothing otherwise (random bytes)', () => {
    const cell = fc.oneof(
      fc.integer({ min: 0x20, max: 0x7e }).map((b) => [b]),
      fc.integer({ min: 0, max: 0xff }).map((b) => [b]),
      fc.tuple(fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x40, max: 0xfe })).map(([lead, trail]) => [lead, trail]),
      fc.tuple(fc.integer({ min: 0xb0, max: 0xd7 }), fc.integer({ min: 0xa1, max: 0xfe })).map(([lead, trail]) => [lead, trail]),
      fc.tuple(fc.integer({ min: 0xa4, max: 0xc6 }), fc.integer({ min: 0x40, max: 0x7e })).map(([lead, trail]) => [lead, trail]),
    );
    fc.assert(
      fc.property(fc.array(cell, { minLength: 10, maxLength: 100 }), fc.subarray(names, { minLength: 1 }), (cells, among) => {
        const bytes = Uint8Array.from(cells.flat());
        expect(chardetVerdictAmong(bytes, among)).toBe(expected(bytes, among));
      }),
      { numRuns: 600 },
    );
  });

  it('does not run chardet in full when a double-byte recogniser is surer than any single-byte one can be', () => {
    const analyse = vi.spyOn(chardet, 'analyse');
    const gbk = iconv.encode('您好，我的订单显示已签收，但是我没有收到货，请帮忙查询物流。', 'gbk');
    expect(chardetVerdictAmong(gbk, ['euc-kr'])).toBeUndefined();
    expect(chardetVerdictAmong(gbk, ['gb18030', 'euc-kr'])).toBe('gb18030');
    expect(analyse).not.toHaveBeenCalled();
    vi.restoreAllMocks();
  });
});

describe('chardetMayName, sets without a recogniser', () => {
  it('cannot tell for a set without a recogniser of its own, and says so (again, as a whole)', () => {
    expect(chardetMayName(Buffer.from('plain words'), ['iso-2022-jp'])).toBe(true);
  });
});

describe('hasCertainError', () => {
  const sets = ['big5', 'euc-jp', 'euc-kr', 'gb18030'] as const;
  const hasReplacement = (bytes: Uint8Array, charset: string) => decodeBytes(bytes, charset).includes('\uFFFD');

  it.each(sets)('is true only where the runtime %s decoder reads an error (every lead and trail byte)', (charset) => {
    let errors = 0;
    for (let lead = 0x80; lead <= 0xff; lead += 1) {
      for (let trail = 0; trail <= 0xff; trail += 1) {
        const bytes = Uint8Array.from([lead, trail]);
        if (!hasCertainError(bytes, charset)) continue;
        errors += 1;
        expect(hasReplacement(bytes, charset), `${charset} ${lead.toString(16)} ${trail.toString(16)}`).toBe(true);
      }
    }
    // It finds errors at all (Latin accents before a space, bytes outside the set's ranges).
    expect(errors).toBeGreaterThan(3000);
  });

  it('is true only where the runtime gb18030 decoder reads an error (four-byte sequences)', () => {
    for (const lead of [0x81, 0x84, 0x90, 0xe3, 0xfe]) {
      for (const second of [0x30, 0x35, 0x39]) {
        for (let third = 0; third <= 0xff; third += 1) {
          for (let fourth = 0; fourth <= 0xff; fourth += 1) {
            const bytes = Uint8Array.from([lead, second, third, fourth]);
            if (hasCertainError(bytes, 'gb18030')) expect(hasReplacement(bytes, 'gb18030'), [lead, second, third, fourth].map((b) => b.toString(16)).join(' ')).toBe(true);
          }
        }
      }
    }
  });

  it('is true only where the decode has an error, in any text, with or without the 8-bit positions', () => {
    const unit = fc.oneof(
      { weight: 6, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((b) => [b]) },
      { weight: 1, arbitrary: fc.integer({ min: 0x80, max: 0xff }).map((b) => [b]) },
      { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x30, max: 0xfe })).map((pair) => [...pair]) },
      { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x30, max: 0x39 }), fc.integer({ min: 0x81, max: 0xfe }), fc.integer({ min: 0x30, max: 0x39 })).map((quad) => [...quad]) },
    );
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 300 }), fc.constantFrom(...sets), (units, charset) => {
        const bytes = Uint8Array.from(units.flat());
        const positions = Int32Array.from([...bytes.keys()].filter((i) => bytes[i]! >= 0x80));
        const certain = hasCertainError(bytes, charset);
        expect(hasCertainError(bytes, charset, positions)).toBe(certain);
        if (certain) expect(hasReplacement(bytes, charset)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('spares the whole decode of Latin prose under its own label (a Big5 or EUC-JP reading fails at its first accent before a space)', () => {
    const decode = vi.spyOn(TextDecoder.prototype, 'decode');
    const text = "Bonjour, mon colis n'est pas arrivé à Besançon. Le suivi indique « livré » mais je n'ai rien reçu. Merci, Hélène Dupré.\n".repeat(20);
    expect(sniffDecode(iconv.encode(text, 'latin1'), 'ISO-8859-1')).toEqual({ text, charset: 'windows-1252' });
    // Only the Latin-1 decode itself: no double-byte set is decoded to be ruled out.
    expect(decode).toHaveBeenCalledTimes(0);
    vi.restoreAllMocks();
  });
});


describe('decodeEncodedWordsReporting', () => {
  /** What a MIME library makes of a run of encoded words (round seven's `naiveWords`): each word on its own, by the runtime decoder of its label. */
  function libraryReading(run: string): string {
    return [...run.matchAll(/=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g)]
      .map(([, label = '', enc = 'B', payload = '']) => {
        const bytes = enc.toUpperCase() === 'B' ? Buffer.from(payload, 'base64') : Buffer.from(payload.replace(/_/g, ' ').replace(/=([0-9a-fA-F]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16))), 'latin1');
        const name = label.split('*')[0]!.trim().toLowerCase();
        let decoder: InstanceType<typeof TextDecoder>;
        try {
          decoder = new TextDecoder(name);
        } catch {
          decoder = new TextDecoder('windows-1252');
        }
        return decoder.decode(bytes);
      })
      .join('');
  }

  const LABELS = ['utf-8', 'UTF-8', 'utf8', 'utf-8*zh-cn', 'gb2312', 'GBK', 'gb18030', 'big5', 'euc-kr', 'ks_c_5601-1987', 'shift_jis', 'iso-2022-jp', 'iso-8859-1', 'windows-1252', 'koi8-r', 'utf-7', 'utf-16', 'hz-gb-2312', 'iso-2022-kr', 'x-unknown', 'us-ascii'];
  const TEXTS = ['订单', '退款没有到账', 'Grüße', 'naïve café', 'さくら', '김민수', 'plain words', '\ufeffbom', 'a_b=c?', '€ 10'];

  function word(label: string, bytes: Buffer, q: boolean, noise: string): string {
    const payload = q ? [...bytes].map((b) => (b > 0x20 && b < 0x7f && b !== 0x3d && b !== 0x3f && b !== 0x5f ? String.fromCharCode(b) : `=${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('') : bytes.toString('base64') + noise;
    return `=?${label}?${q ? 'Q' : 'B'}?${payload}?=`;
  }

  it('reports exactly when a MIME library reads the words differently (text in any label, split anywhere, malformed payloads)', () => {
    const words = fc.tuple(fc.constantFrom(...LABELS), fc.constantFrom(...TEXTS), fc.constantFrom('utf-8', 'gbk', 'big5', 'euc-kr', 'shift_jis', 'latin1', 'bytes'), fc.boolean(), fc.nat(8), fc.constantFrom('', '', '', '-', '_', '=', '==AB', '!'), fc.uint8Array({ maxLength: 6 }));
    fc.assert(
      fc.property(fc.array(words, { minLength: 1, maxLength: 4 }), fc.constantFrom(' ', '\r\n ', '', '\t'), (parts, gap) => {
        const run = parts
          .flatMap(([label, text, encoding, q, cut, noise, random]) => {
            const bytes = encoding === 'bytes' ? Buffer.from(random) : encoding === 'latin1' ? Buffer.from(text, 'latin1') : iconv.encode(text, encoding);
            const at = Math.min(cut, bytes.length);
            // Half the time the text is split between two words, often inside a character.
            return cut % 2 === 0 || at === 0 ? [word(label, bytes, q, noise)] : [word(label, bytes.subarray(0, at), q, noise), word(label, bytes.subarray(at), q, '')];
          })
          .join(gap);
        const reported = decodeEncodedWordsReporting(run);
        expect(reported.text).toBe(decodeEncodedWords(run));
        expect(reported.redecoded).toBe(reported.text !== libraryReading(run));
      }),
      { numRuns: 3000 },
    );
  });

  it('finds the common words read alike without building the library reading, and a split character read differently', () => {
    expect(decodeEncodedWordsReporting('=?UTF-8?B?6K6i5Y2V?= =?utf-8?q?_ok?=')).toEqual({ text: '订单 ok', redecoded: false });
    expect(decodeEncodedWordsReporting('=?UTF-8?B?6K6i5Y2V?= =?UTF-8?B?6YCA5qy+?=')).toEqual({ text: '订单退款', redecoded: false });
    expect(decodeEncodedWordsReporting('=?UTF-8?B?6K4=?= =?UTF-8?B?ouWNlQ==?=')).toEqual({ text: '订单', redecoded: true });
    expect(decodeEncodedWordsReporting('=?gb2312?B?tqm1pQ==?=')).toEqual({ text: '订单', redecoded: false });
    expect(decodeEncodedWordsReporting('no words here')).toEqual({ text: 'no words here', redecoded: false });
  });
});

describe('double-byte readings decoded lazily', () => {
  const SAMPLES = ['我的订单显示已签收但是没有收到货物，请帮忙查询一下物流信息，谢谢。', '退款申请已经提交三天了还没有到账', '請問我的退款什麼時候會到帳？訂單編號是二零二四。', 'お世話になっております。注文した商品がまだ届いていません。', '주문한 상품이 아직 도착하지 않았습니다. 확인 부탁드립니다.', 'Grüße aus Zürich, la commande n’est pas arrivée', 'Здравствуйте, мой заказ не пришёл'];
  const ENCODINGS = ['gbk', 'gb18030', 'big5', 'shift_jis', 'euc-jp', 'euc-kr', 'windows-1252', 'windows-1251', 'utf-8'];
  const LABELS = [undefined, 'gb2312', 'big5', 'shift_jis', 'euc-kr', 'iso-8859-1', 'windows-1251', 'utf-8', 'x-unknown'];

  it('give the same text, charset and undecodable count as decoding every reading (real text in nine encodings, cut, mixed and with random bytes)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SAMPLES), fc.constantFrom(...ENCODINGS), fc.constantFrom(...LABELS), fc.nat(40), fc.uint8Array({ maxLength: 12 }), fc.nat(3), fc.nat(6), (text, encoding, label, cut, noise, repeat, where) => {
        let bytes: Buffer = iconv.encode(text.repeat(repeat + 1), encoding);
        if (cut % 3 === 0) bytes = bytes.subarray(cut % Math.max(bytes.length, 1));
        if (where % 2 === 0) bytes = Buffer.concat([bytes.subarray(0, where * 3), Buffer.from(noise), bytes.subarray(where * 3)]);
        expect(sniffDecode(bytes, label)).toEqual(withEveryReadingDecoded(() => sniffDecode(bytes, label)));
        expect(detectCharset(bytes, label)).toEqual(withEveryReadingDecoded(() => detectCharset(bytes, label)));
      }),
      { numRuns: 1500 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 80 }), fc.constantFrom(...LABELS), (bytes, label) => {
        expect(sniffDecode(bytes, label)).toEqual(withEveryReadingDecoded(() => sniffDecode(bytes, label)));
      }),
      { numRuns: 1000 },
    );
  });
});
