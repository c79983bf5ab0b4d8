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
  {
    // The emulators stand in for Salesforce and Gong; only the composition roots that start the
    // embedded defaults (and the tests) may know them. Use cases receive an org connection.
    files: ['companion-service/src/**/*.ts'],
    ignores: ['companion-service/src/app/embedded-org.ts', 'companion-service/src/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['@pipeline-scribe/local-salesforce', '@pipeline-scribe/local-salesforce/*'],
              message:
                'Emulators are composed in src/app/embedded-org.ts or src/cli only; take an OrgConnection instead.',
            },
          ],
        },
      ],
    },
  },
  {
    // The emulators never reach into the service they stand in for.
    files: ['local-salesforce/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/companion-service/**', '@pipeline-scribe/companion-service*'],
              message: 'The emulators must not import the service.',
            },
          ],
        },
      ],
    },
  },
);
