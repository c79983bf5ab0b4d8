// ESLint for the Lightning web components in force-app and in the preview gallery (scripts/preview/lwc),
// with Salesforce's recommended LWC rules. The root eslint.config.js covers the TypeScript service and
// leaves these to this file: npx eslint --config eslint.lwc.config.mjs force-app scripts/preview/lwc
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';

const COMPONENTS = ['force-app/**/lwc/**/*.js', 'scripts/preview/lwc/**/*.js'];
const TESTS = ['force-app/**/lwc/**/__tests__/**/*.js'];

export default [
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: COMPONENTS })),
  {
    ...jestPlugin.configs['flat/recommended'],
    files: TESTS,
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    // Tests wait for the component's promises with a timer; components themselves may not.
    rules: { ...jestPlugin.configs['flat/recommended'].rules, '@lwc/lwc/no-async-operation': 'off' },
  },
];
