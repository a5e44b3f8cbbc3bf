/**
 * The reply lexicon: phrases in the desk's languages (simplified and traditional Chinese, English)
 * by which a customer's reply says the problem persists or is gone. The lifecycle reads a reply
 * with it (a "still not working" reopens a resolved ticket); extend the lists here.
 */


/** Phrases that say the problem persists. Matched on lower-cased text with straight apostrophes. */
const NOT_SOLVED_PHRASES: readonly string[] = [
  '还是不行',
  '还是没',
  '还不行',
  '没有解决',
  '没解决',
  '未解决',
  '问题依旧',
  '依然',
  '仍然',
  '还没好',
  '没有用',
  '不起作用',
  '還是不行',
  '沒有解決',
  '沒解決',
  '未解決',
  '問題依舊',
  'still not working',
  "still doesn't work",
  'still does not work',
  'still broken',
  'still failing',
  'still happening',
  'still the same',
  'still having',
  'not solved',
  'not fixed',
  'not resolved',
  "isn't fixed",
  "isn't solved",
  "isn't resolved",
  "doesn't work",
  'does not work',
  "didn't work",
  'did not work',
  "didn't help",
  'did not help',
  'not working',
  'same problem',
  'same issue',
];

/** Phrases that say the problem is gone. */
const SOLVED_PHRASES: readonly string[] = [
  '已解决',
  '解决了',
  '好了',
  '可以了',
  '没问题了',
  '正常了',
  '已解決',
  '解決了',
  '沒問題了',
  'solved',
  'fixed',
  'resolved',
  'works now',
  'working now',
  'it works',
  'all good',
  'problem gone',
];

function normaliseReply(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/[\u2018\u2019\u02bc]/g, "'").replace(/\bdoesnt\b/g, "doesn't").replace(/\bdidnt\b/g, "didn't").replace(/\s+/g, ' ');
}

/**
 * Whether a customer's reply (new text only, quoted history removed) says the problem persists.
 *
 * @example
 * saysNotSolved('还是不行，登录时仍然报错'); // true
 * saysNotSolved('Thanks, it works now'); // false
 */
export function saysNotSolved(text: string): boolean {
  const normalised = normaliseReply(text);
  return NOT_SOLVED_PHRASES.some((phrase) => normalised.includes(phrase));
}

/**
 * Whether a reply says the problem is solved. A reply that also says it is not solved is not
 * solved ("fixed? no, not fixed").
 *
 * @example
 * saysSolved('问题已解决，谢谢'); // true
 */
export function saysSolved(text: string): boolean {
  if (saysNotSolved(text)) return false;
  const normalised = normaliseReply(text);
  return SOLVED_PHRASES.some((phrase) => normalised.includes(phrase));
}
