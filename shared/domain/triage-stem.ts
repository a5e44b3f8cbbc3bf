/**
 * The stem triage matches English words by: Porter's steps for inflections only (plurals, -ed,
 * -ing, final -y and -e; steps 1a-1c and 5 of Porter's algorithm), without its steps 2-4 for
 * derivations. "charge", "charged", "charges" and "charging" share a stem, as before; but
 * "helpful" is no longer "help", "excellent" no longer "excel", "installment" no longer
 * "install", "useful" no longer "use" and "lied" no longer "li": a keyword written for one word
 * cannot match a different one through a shared root (round seven found those by accident, one
 * at a time). A keyword that means its derived forms too lists them ("suggest|suggestion").
 *
 * @example
 * inflectionStem('charging'); // 'charg' (the same as 'charge', 'charged', 'charges')
 * inflectionStem('helpful'); // 'helpful' (not 'help')
 */
export function inflectionStem(word: string): string {
  if (word.length < 3) return word;
  // An initial y is a consonant (Porter writes it Y so that it never counts as a vowel).
  let result = word.startsWith('y') ? `Y${word.slice(1)}` : word;

  // Step 1a: plurals.
  if (/^.+?(ss|i)es$/u.test(result)) result = result.slice(0, -2);
  else if (/^.+?[^s]s$/u.test(result)) result = result.slice(0, -1);

  // Step 1b: -eed, -ed, -ing.
  let match: RegExpExecArray | null;
  if ((match = /^(.+?)eed$/u.exec(result))) {
    if (MEASURE_ABOVE_0.test(match[1] as string)) result = result.slice(0, -1);
  } else if ((match = /^(.+?)(ed|ing)$/u.exec(result)) && VOWEL_IN_STEM.test(match[1] as string)) {
    result = match[1] as string;
    if (/(at|bl|iz)$/u.test(result)) result += 'e';
    else if (/([^aeiouylsz])\1$/u.test(result)) result = result.slice(0, -1);
    else if (ENDS_CVC.test(result)) result += 'e';
  }

  // Step 1c: final y after a vowel-bearing stem.
  if ((match = /^(.+?)y$/u.exec(result)) && VOWEL_IN_STEM.test(match[1] as string)) result = `${match[1] as string}i`;

  // Step 5: final e, and ll.
  if ((match = /^(.+?)e$/u.exec(result))) {
    const stem = match[1] as string;
    if (MEASURE_ABOVE_1.test(stem) || (MEASURE_1.test(stem) && !ENDS_CVC.test(stem))) result = stem;
  }
  if (/ll$/u.test(result) && MEASURE_ABOVE_1.test(result)) result = result.slice(0, -1);

  // A stem of one or two letters is another word ("lied" → "li", "used" → "us"): keep the word.
  if (result.length < 3) return word;
  return result.startsWith('Y') ? `y${result.slice(1)}` : result;
}

const CONSONANTS = '([^aeiou][^aeiouy]*)';
const VOWELS = '([aeiouy][aeiou]*)';
const MEASURE_ABOVE_0 = new RegExp(`^${CONSONANTS}?${VOWELS}${CONSONANTS}`, 'u');
const MEASURE_1 = new RegExp(`^${CONSONANTS}?${VOWELS}${CONSONANTS}${VOWELS}?$`, 'u');
const MEASURE_ABOVE_1 = new RegExp(`^${CONSONANTS}?(${VOWELS}${CONSONANTS}){2,}`, 'u');
const VOWEL_IN_STEM = new RegExp(`^${CONSONANTS}?[aeiouy]`, 'u');
const ENDS_CVC = new RegExp(`^${CONSONANTS}[aeiouy][^aeiouwxy]$`, 'u');
