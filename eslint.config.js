// ESLint (issue 14), run by `npm run lint` and as one check of `npm test`.
// The recommended sets of ESLint, typescript-eslint and eslint-plugin-svelte,
// plus what keeps the architecture honest: the layer boundaries
// (scripts/lint-layers.mjs), a pure core (no clock, randomness or platform
// globals), and no empty catch block without a comment saying why.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import svelte from 'eslint-plugin-svelte';
import svelteParser from 'svelte-eslint-parser';
import globals from 'globals';
import ts from 'typescript-eslint';
import { layerConfigs } from './scripts/lint-layers.mjs';
import svelteConfig from './svelte.config.js';

/**
 * Globals the core may not touch: the clock, randomness, timers, storage,
 * the network, the DOM and Node's process. They come in through parameters
 * (`now`, random bytes, a verifier), so the same inputs give the same result
 * on every node, in the simulator and in the tests.
 */
const IMPURE_GLOBALS = [
  'window',
  'self',
  'globalThis',
  'global',
  'document',
  'navigator',
  'location',
  'crypto',
  'Date',
  'performance',
  'setTimeout',
  'setInterval',
  'clearTimeout',
  'clearInterval',
  'setImmediate',
  'queueMicrotask',
  'requestAnimationFrame',
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'indexedDB',
  'localStorage',
  'sessionStorage',
  'fetch',
  'WebSocket',
  'RTCPeerConnection',
  'Worker',
  'console',
].map((name) => ({
  name,
  message: `src/lib/core is pure: ${name} is a platform API or a source of time or randomness; pass what you need in (docs/ARCHITECTURE.md).`,
}));

export default defineConfig(
  globalIgnores(['build/', '.svelte-kit/', 'node_modules/', 'test-results/', 'playwright-report/', 'coverage/', 'dist/', 'bench/out/', 'static/']),
  js.configs.recommended,
  ts.configs.recommended,
  svelte.configs.recommended,
  {
    name: 'medchain/parsers',
    languageOptions: {
      parserOptions: { extraFileExtensions: ['.svelte'] },
    },
  },
  {
    name: 'medchain/svelte',
    files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
    languageOptions: {
      parser: svelteParser,
      parserOptions: { parser: ts.parser, svelteConfig },
      globals: globals.browser,
    },
  },
  {
    name: 'medchain/node-scripts',
    files: ['**/*.{js,mjs,cjs}'],
    languageOptions: { globals: globals.node },
  },
  {
    name: 'medchain/rules',
    rules: {
      // A catch block that swallows an error says why in a comment (no-empty accepts a block holding one).
      'no-empty': ['error', { allowEmptyCatch: false }],
      // `_name` marks a parameter or binding kept for its position or shape.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    name: 'medchain/playwright',
    files: ['tests/browser/**'],
    // Playwright reads a fixture's first parameter as an object pattern, so `async ({}, use)` is how a fixture needs no other.
    rules: { 'no-empty-pattern': ['error', { allowObjectPatternsAsParameters: true }] },
  },
  ...layerConfigs(),
  {
    name: 'medchain/pure-core',
    files: ['src/lib/core/**/*.ts'],
    rules: {
      'no-restricted-globals': ['error', ...IMPURE_GLOBALS],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'src/lib/core is pure: randomness is passed in (RandomBytes, or the seeded prng.ts for demos and the simulator).',
        },
      ],
    },
  },
);
