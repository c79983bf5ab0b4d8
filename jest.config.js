// Jest for the Lightning web components in force-app (sfdx-lwc-jest); the companion service uses vitest.
// Jest loads this file with require(), so it is CommonJS.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

module.exports = {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  setupFilesAfterEnv: [
    ...jestConfig.setupFilesAfterEnv,
    '<rootDir>/jest-sa11y-setup.js',
    '<rootDir>/jest/lwc-setup.js',
  ],
  moduleNameMapper: {
    ...jestConfig.moduleNameMapper,
    '^lwc-test-helpers$': '<rootDir>/jest/lwc-test-helpers.js',
  },
  clearMocks: true,
};
