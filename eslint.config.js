import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const ZOD_NAMED_IMPORT = {
  selector: "ImportDeclaration[source.value='zod'] > ImportSpecifier[imported.name='z']",
  message: "Use `import * as z from 'zod'`: the named `z` export keeps all of zod's locales in every bundle (docs/performance.md).",
};

// The table's key layout (`QUEUE#<team>#active`, `TASKS#<agentId>`, `TICKET#<no>`...) is spelled
// only in shared/adapters (keys.ts): services and the domain name records and lists in business
// terms (`{ list: 'tasks', agentId }`), so a string that starts like a key is a layout leak.
const KEY_LAYOUT = '/^[A-Z][A-Z_]*#/';
const KEY_LAYOUT_MESSAGE = 'Table keys are spelled only in shared/adapters (keys.ts); name the record or list in business terms (ports.ts, QueueList).';
const NO_KEY_LAYOUT = [
  { selector: `Literal[value=${KEY_LAYOUT}]`, message: KEY_LAYOUT_MESSAGE },
  { selector: `TemplateElement[value.raw=${KEY_LAYOUT}]`, message: KEY_LAYOUT_MESSAGE },
];

export default tseslint.config(
  {
    ignores: ['node_modules/', 'cdk.out/', '.data/', 'coverage/', 'dist/', 'console/dist/', 'test-artifacts/', 'bench/results/'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
      // Bundle size (docs/performance.md): zod's named `z` export keeps every locale of zod in a
      // Lambda bundle (about 370 KB); the namespace import lets esbuild drop what is unused.
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT],
    },
  },
  {
    // Services speak the ports of shared/services/ports.ts; only shared/adapters talks to AWS and
    // knows the table's keys (records that go with a ticket change are ChangeRecords, laid out there).
    files: ['shared/services/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, ...NO_KEY_LAYOUT],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@aws-sdk/*'], message: 'Services use the ports in shared/services/ports.ts; only shared/adapters imports the AWS SDK.' },
            { group: ['**/adapters/*', '**/adapters/**'], message: 'Services use the ports in shared/services/ports.ts, not the adapters.' },
            { group: ['**/http/*', '**/http/**'], message: 'Services know nothing of HTTP: the principal is shared/domain/authorization.ts, request shapes are shared/contract/.' },
          ],
        },
      ],
    },
  },
  {
    // The domain is pure: no AWS, no services, adapters or HTTP.
    files: ['shared/domain/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', ZOD_NAMED_IMPORT, ...NO_KEY_LAYOUT],
      'no-restricted-imports': ['error', { patterns: [{ group: ['@aws-sdk/*', '**/services/*', '**/adapters/*', '**/http/*'], message: 'shared/domain is pure: no AWS SDK, services, adapters or HTTP.' }] }],
    },
  },
  {
    // The console's components call hooks in the same order on every render (a hook after an early
    // return crashes the page the moment the data arrives).
    files: ['console/src/**/*.tsx', 'console/src/**/*.ts'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'off' },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
);
