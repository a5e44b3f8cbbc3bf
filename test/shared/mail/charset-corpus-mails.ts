import iconv from 'iconv-lite';

/**
 * Charset corpus (issue 14 item 6): mails as real mailers write them in Japanese, Korean and
 * Chinese (Simplified and Traditional) with the labels they use, without labels, with wrong ones,
 * and with raw 8-bit headers that carry no encoded words. Built as bytes here (iconv-lite encodes,
 * the code under test decodes with the runtime's decoders), each with the text a reader expects.
 */

type Bytes = string | Buffer;
const enc = (text: string, charset: string): Buffer => iconv.encode(text, charset);
const b64 = (bytes: Buffer) => bytes.toString('base64');
const word = (text: string, label: string, charset = label) => `=?${label}?B?${b64(enc(text, charset))}?=`;

/** ISO-2022-JP by hand (iconv-lite has no encoder): JIS X 0208 bytes are EUC-JP bytes minus 0x80. */
function iso2022jp(text: string): Buffer {
  const out: number[] = [];
  let kanji = false;
  for (const ch of text) {
    const wide = ch.charCodeAt(0) > 0x7f;
    if (wide !== kanji) out.push(...(wide ? [0x1b, 0x24, 0x42] : [0x1b, 0x28, 0x42]));
    kanji = wide;
    if (wide) for (const byte of iconv.encode(ch, 'euc-jp')) out.push(byte & 0x7f);
    else out.push(ch.charCodeAt(0));
  }
  if (kanji) out.push(0x1b, 0x28, 0x42);
  return Buffer.from(out);
}

export function mail(headers: Array<[string, Bytes]>, body: Bytes): Buffer {
  const lines: Buffer[] = [];
  for (const [name, value] of [['Message-ID', '<corpus@example.test>'] as [string, Bytes], ['Date', 'Tue, 1 Dec 2026 10:00:00 +0000'] as [string, Bytes], ...headers]) {
    lines.push(Buffer.from(`${name}: `), Buffer.isBuffer(value) ? value : Buffer.from(value), Buffer.from('\r\n'));
  }
  return Buffer.concat([...lines, Buffer.from('\r\n'), Buffer.isBuffer(body) ? body : Buffer.from(body)]);
}


export interface Case {
  name: string;
  raw: Buffer;
  subject: string;
  fromName?: string;
  text: string;
}

export const cases: Case[] = [
  // Labels as mail libraries write them, region and year suffixes included.
  ...([
    ['gb2312-80', 'gbk', '王先生', '关于订单退款的问题', '订单号 20261201 一直没有退款。'],
    ['GB_2312-80', 'gbk', '张女士', '发票开错了', '发票抬头写错了，请重新开具。'],
    ['x-gbk', 'gbk', '刘洋', '账户被盗刷', '账户里莫名少了两千元。'],
    ['csGB2312', 'gbk', '陈静', '无法登录', '登录时提示密码错误。'],
    ['ks_c_5601-1987', 'cp949', '박지현', '주문 취소 요청', '어제 주문한 상품을 취소하고 싶습니다.'],
    ['x-windows-949', 'cp949', '이서준', '환불 문의', '환불은 언제 처리되나요?'],
    ['shift_jis', 'shift_jis', '鈴木', 'お問い合わせ：注文の件', '注文した商品がまだ届いていません。'],
    ['x-sjis', 'shift_jis', '高橋 美咲', '返品について', '商品が壊れていました。返品をお願いします。'],
    ['windows-31j', 'cp932', '田中', '請求書の再発行', '請求書を再発行していただけますか。'],
    ['x-euc-jp', 'euc-jp', '伊藤', 'ログインできません', 'パスワードを忘れました。'],
    ['big5-hkscs', 'big5hkscs', '黃先生', '訂單退款問題', '我的訂單已經取消，但還沒有收到退款。'],
    ['x-x-big5', 'big5', '林小姐', '帳號無法登入', '登入時一直顯示驗證碼錯誤。'],
  ] as const).map(([label, charset, fromName, subject, text]): Case => ({
    name: `label ${label}`,
    raw: mail(
      [['From', `${word(fromName, label, charset)} <customer@example.test>`], ['To', 'support@desk.example'], ['Subject', word(subject, label, charset)], ['MIME-Version', '1.0'], ['Content-Type', `text/plain; charset=${label}`], ['Content-Transfer-Encoding', 'base64']],
      b64(enc(text, charset)),
    ),
    subject,
    fromName,
    text,
  })),
  {
    name: 'label iso-2022-jp (7-bit, the Japanese mail standard)',
    raw: mail(
      [['From', `=?ISO-2022-JP?B?${b64(iso2022jp('山田太郎'))}?= <yamada@example.jp>`], ['Subject', `=?ISO-2022-JP?B?${b64(iso2022jp('配送状況の確認'))}?=`], ['MIME-Version', '1.0'], ['Content-Type', 'text/plain; charset=ISO-2022-JP'], ['Content-Transfer-Encoding', '7bit']],
      iso2022jp('荷物がまだ届きません。'),
    ),
    subject: '配送状況の確認',
    fromName: '山田太郎',
    text: '荷物がまだ届きません。',
  },
  {
    name: 'label utf-7',
    raw: mail([['Subject', '=?utf-7?Q?+UXNOjg-?='], ['MIME-Version', '1.0'], ['Content-Type', 'text/plain; charset=utf-7']], 'Hi +ZeVnLIqe-, a+-b'),
    subject: '关于',
    text: 'Hi 日本語, a+b',
  },
  // Raw 8-bit headers with no encoded words, in each legacy encoding.
  ...([
    ['shift_jis', '山田 花子', '注文のキャンセルについて', 'キャンセルをお願いします。'],
    ['euc-jp', '佐藤 一郎', 'パスワードの再設定', 'メールが届きません。'],
    ['cp949', '김민수', '배송 지연 문의드립니다', '일주일째 배송이 안 됩니다.'],
    ['big5', '陳小明', '發票抬頭錯誤', '請協助更正發票。'],
    ['gbk', '李伟', '退款一直没到账', '已经等了两周。'],
  ] as const).flatMap(([charset, name, subject, text]): Case[] => [
    {
      name: `raw 8-bit ${charset} headers, body labelled`,
      raw: mail([['From', Buffer.concat([enc(name, charset), Buffer.from(' <c@example.test>')])], ['Subject', enc(subject, charset)], ['MIME-Version', '1.0'], ['Content-Type', `text/plain; charset=${charset === 'cp949' ? 'euc-kr' : charset}`], ['Content-Transfer-Encoding', '8bit']], enc(text, charset)),
      subject,
      fromName: name,
      text,
    },
    {
      name: `raw 8-bit ${charset} headers and body, no charset anywhere`,
      raw: mail([['From', Buffer.concat([enc(name, charset), Buffer.from(' <c@example.test>')])], ['Subject', enc(subject, charset)], ['Content-Transfer-Encoding', '8bit']], enc(text, charset)),
      subject,
      fromName: name,
      text,
    },
  ]),
  // Wrong labels.
  {
    name: 'Shift_JIS body and words labelled gb2312',
    raw: mail([['Subject', word('お届け日の変更', 'gb2312', 'shift_jis')], ['Content-Type', 'text/plain; charset=gb2312'], ['Content-Transfer-Encoding', 'base64']], b64(enc('お届け日を来週に変更できますか。', 'shift_jis'))),
    subject: 'お届け日の変更',
    text: 'お届け日を来週に変更できますか。',
  },
  {
    name: 'GBK body labelled iso-8859-1',
    raw: mail([['Subject', 'order question'], ['Content-Type', 'text/plain; charset=iso-8859-1'], ['Content-Transfer-Encoding', '8bit']], enc('您好，我的订单显示已签收，但是我没有收到货。', 'gbk')),
    subject: 'order question',
    text: '您好，我的订单显示已签收，但是我没有收到货。',
  },
  {
    name: 'EUC-KR body labelled big5',
    raw: mail([['Subject', 'question'], ['Content-Type', 'text/plain; charset=big5'], ['Content-Transfer-Encoding', '8bit']], enc('결제가 두 번 되었습니다. 확인 부탁드립니다.', 'cp949')),
    subject: 'question',
    text: '결제가 두 번 되었습니다. 확인 부탁드립니다.',
  },
  // cp949 (UHC) extension syllables: KS X 1001 lacks 8,822 Hangul syllables (똠, 햏, 쌰...) that
  // Windows writes in cells the runtime's euc-kr decoder does not know.
  ...([
    ['ks_c_5601-1987', true],
    ['euc-kr', true],
    [undefined, false],
  ] as const).map(([label, encodedWords]): Case => {
    const subject = '똠양꿍 주문 문의 (햏)';
    const text = '안녕하세요. 어제 똠양꿍 세트를 주문했는데 쌰브샤브 소스가 빠졌습니다. 확인 부탁드립니다.';
    return {
      name: `cp949 extension Hangul, ${label ? `labelled ${label}` : 'raw 8-bit headers and body without any label'}`,
      raw: mail(
        [
          ['From', Buffer.concat([encodedWords ? Buffer.from(word('김똠', label!, 'cp949')) : enc('김똠', 'cp949'), Buffer.from(' <kim@example.kr>')])],
          ['Subject', encodedWords ? word(subject, label!, 'cp949') : enc(subject, 'cp949')],
          ['MIME-Version', '1.0'],
          ...(label ? [['Content-Type', `text/plain; charset=${label}`] as [string, Bytes]] : []),
          ['Content-Transfer-Encoding', '8bit'],
        ],
        enc(text, 'cp949'),
      ),
      subject,
      fromName: '김똠',
      text,
    };
  }),
  {
    name: 'Latin-1 French stays Latin-1 (accents are not double-byte characters)',
    raw: mail([['Subject', Buffer.concat([Buffer.from('Probl'), enc('ème de livraison', 'latin1')])], ['Content-Type', 'text/plain; charset=iso-8859-1'], ['Content-Transfer-Encoding', '8bit']], enc('Le colis est arrivé abîmé, reçu hier à Genève.', 'latin1')),
    subject: 'Problème de livraison',
    text: 'Le colis est arrivé abîmé, reçu hier à Genève.',
  },
];

