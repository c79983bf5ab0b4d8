import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    // force-app and the preview's Lightning web components are linted by eslint.lwc.config.mjs.
    ignores: [
      '**/node_modules/**',
      'build/**',
      'coverage/**',
      'force-app/**',
      'scripts/preview/lwc/**',
      '.sfdx/**',
      '.sf/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // The preview's entry runs in the browser; its tests hand functions to the browser to run.
    files: ['scripts/preview/main.js', 'scripts/preview/test/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
