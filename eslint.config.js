import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Import boundaries between the runtime folders (see docs/architecture.md). */
const forbid = (folders, why) => ({
  'no-restricted-imports': [
    'error',
    {
      patterns: folders.flatMap((f) => [
        { group: [`**/${f}/**`, `../${f}`, `../../${f}`], message: why },
      ]),
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'out/', 'dist/', 'release/', 'test-results/', 'playwright-report/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/electron/**', '**/renderer/**', '**/workers/**', '../electron', '../renderer', '../workers'], message: 'shared/ imports no other top folder.' },
            { group: ['node:*', 'fs', 'path', 'electron', 'react'], message: 'shared/ runs everywhere: no Node, Electron or DOM modules.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'workers/**/*.ts'],
    languageOptions: { globals: { ...globals.browser, ...globals.worker } },
    rules: {
      ...forbid(['electron'], 'renderer/ and workers/ never import electron/: talk to the host through the contract.'),
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    ignores: ['renderer/src/host/**'],
    rules: {
      'no-restricted-globals': ['error', { name: 'orchardHost', message: 'Only renderer/src/host/ reads the host global.' }],
      'no-restricted-properties': ['error', { object: 'window', property: 'orchardHost', message: 'Only renderer/src/host/ reads the host global.' }],
    },
  },
);
