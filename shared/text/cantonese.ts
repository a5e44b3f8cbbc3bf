/**
 * Written Cantonese read as Mandarin, before the rules look at it. Customers in Hong Kong and
 * Macau write the way they speak (我張單落咗三日都未出貨, 你哋啲客服打咗三次都冇人聽): the
 * Traditional→Simplified converter keeps those words as they are, and every keyword written in
 * Mandarin (了, 没有, 不, 们) misses them.
 *
 * Only a text holding a character that Mandarin does not use (咗, 冇, 唔, 嘅, 哋...) is treated as
 * Cantonese; then the words that are also Mandarin characters but mean something else in
 * Cantonese (係 "is", 點樣 "how", 幾時 "when", 仲 "still", 而家 "now") are read too. A Mandarin
 * text is returned as it is, so 关係, 仲裁 or 点样 in it never change.
 *
 * @example
 * cantoneseToMandarin('部機收到嘅時候已經裂咗'); // '部機收到的時候已經裂了'
 * cantoneseToMandarin('你們的仲裁條款'); // unchanged: not Cantonese
 */
export function cantoneseToMandarin(text: string): string {
  if (!CANTONESE_ONLY.test(text)) return text;
  return text.replace(CANTONESE_WORD, (word) => MANDARIN[word] ?? word);
}

/** Characters of written Cantonese that Mandarin does not use. */
const CANTONESE_ONLY = /[咗冇唔嘅哋佢啲喺嚟睇攞搵揾嗰乜嘢諗谂畀咩啱嘢]/u;

/**
 * Cantonese words and their Mandarin readings, Traditional and Simplified forms alike (the text is
 * converted to Simplified afterwards). Longer words come first in the pattern, so 唔該 is read
 * before 唔 and 冇人 before 冇.
 */
const MANDARIN: Record<string, string> = Object.fromEntries(
  `唔該:麻烦 唔系:不是 唔係:不是 唔得:不行 唔啱:不对 俾錢:付钱 俾钱:付钱 畀錢:付钱 畀钱:付钱 落單:下单 落单:下单 點樣:怎样 点样:怎样 點解:为什么 点解:为什么 點算:怎么办 点算:怎么办
  幾時:什么时候 几时:什么时候 邊度:哪里 边度:哪里 邊個:哪个 边个:哪个 而家:现在 依家:现在 成日:总是 乜嘢:什么 咩:什么 乜:什么 嘢:东西
  咗:了 冇:没有 唔:不 嘅:的 哋:们 佢:他 啲:些 喺:在 嚟:来 睇:看 攞:拿 搵:找 揾:找 嗰:那 諗:想 谂:想 畀:给 俾:给 啱:对 係:是 仲:还`
    .split(/\s+/u)
    .map((pair) => pair.split(':') as [string, string]),
);

/** 係 after 關/联 is the Mandarin 关系 (relation); 仲 before 裁/介 is arbitration, an agent. */
const CANTONESE_WORD = new RegExp(
  `${Object.keys(MANDARIN)
    .filter((word) => word !== '係' && word !== '仲')
    .sort((a, b) => b.length - a.length)
    .join('|')}|(?<![關关聯联])係|仲(?![裁介])`,
  'gu',
);
