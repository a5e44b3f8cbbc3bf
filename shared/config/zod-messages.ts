/**
 * zod/mini carries no messages of its own (every issue would read "Invalid input"); this gives
 * it zod's English ones, about 3 KB, instead of the full zod with every locale (docs/performance.md).
 * Import it for its effect next to `import * as z from 'zod/mini'`.
 */
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';

z.config(en());
