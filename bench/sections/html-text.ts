import { htmlTextFigures } from '../html-text.js';
import { round, type BenchSection } from '../section.js';

/** HTML-only mail: the shipped converter against round five's html-to-text, same HTML, same rounds (bench/html-text.ts). */
export const section: BenchSection = {
  name: 'html-text',
  title: 'HTML to text (mail without a text part)',
  order: 55,
  async run(context) {
    context.log('html to text: shipped converter against html-to-text, alternating rounds ...');
    const figures = await htmlTextFigures();
    const { mail, large } = figures;
    return {
      figures: [
        {
          key: 'cpuRatioMail',
          label: 'html to text CPU / html-to-text, mail-sized HTML',
          value: round(mail.cpuRatio),
          unit: 'x',
          note: `${mail.documents} documents, ${Math.round(mail.htmlBytes / 1000)} KB: ${round(mail.shippedCpuMs, 3)} vs ${round(mail.roundFiveCpuMs, 3)} ms (best of 15 alternating rounds)`,
        },
        {
          key: 'cpuRatioLarge',
          label: 'html to text CPU / html-to-text, 1 MB newsletter',
          value: round(large.cpuRatio),
          unit: 'x',
          note: `${round(large.shippedCpuMs, 1)} vs ${round(large.roundFiveCpuMs, 1)} ms`,
        },
        {
          key: 'bundleBytes',
          label: 'html to text converter in a bundle',
          value: round(figures.shippedBundleBytes / 1000, 1),
          unit: 'KB',
          note: `html-to-text with its DOM, selectors and entity tables: ${round(figures.roundFiveBundleBytes / 1000, 1)} KB`,
        },
      ],
      detail: { ...figures },
    };
  },
};
