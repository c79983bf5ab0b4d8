// ESLint for the Lightning web components in force-app, with Salesforce's recommended LWC rules.
// The root eslint.config.js covers the TypeScript service and leaves force-app to this file:
// npx eslint --config eslint.lwc.config.mjs force-app
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';

const COMPONENTS = ['force-app/**/lwc/**/*.js'];
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
