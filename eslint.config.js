// ESLint flat config: typescript-eslint with type information, and the walls between the rooms
// (docs/design.md, "The house"): eslint-plugin-boundaries for the arrows, import-x/no-cycle for
// file cycles, no-restricted-imports for what the browser-safe rooms may load.
import js from '@eslint/js';
import boundaries from 'eslint-plugin-boundaries';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

/**
 * STAGES: which top-level room may import which. Everything else is refused: contracts import no
 * stage, no stage imports tools/, the browser pages import contracts only. A file outside every
 * room fails boundaries/no-unknown-files.
 */
const STAGES = {
  contracts: [],
  sensors: ['contracts'],
  models: ['contracts'],
  media: ['contracts'],
  server: ['contracts', 'sensors', 'models', 'media'],
  client: ['contracts'],
  tools: ['contracts', 'sensors', 'models', 'media', 'server', 'client'],
  test: ['contracts', 'sensors', 'models', 'media', 'server', 'client', 'tools'],
};

/**
 * Inside a stage, its folders (and loose files) in layers from the bottom up: a place may import
 * the places of the layers below it, never one beside it or above it, so no folder-level cycle can
 * form. A new folder or loose file is declared here: until then every import it makes into another
 * place is refused ("no policy allowing dependencies from elements of type "server" …").
 */
const LAYERS = {
  contracts: [['contracts']],
  sensors: [
    ['sensors/hex.ts', 'sensors/signal', 'sensors/trace'],
    ['sensors/simulator', 'sensors/hid'],
    ['sensors/agent'],
    ['sensors/index.ts'],
  ],
  models: [['models/estimator'], ['models/features'], ['models/director'], ['models/index.ts']],
  media: [
    ['media/ffmpeg', 'media/narration'],
    ['media/story'],
    ['media/packager', 'media/playlist'],
    ['media/render'],
    ['media/demo'],
    ['media/prepare-story-for-serving.ts'],
    ['media/index.ts'],
  ],
  server: [
    ['server/paths.ts', 'server/logger.ts', 'server/config.ts', 'server/bind-port.ts'],
    ['server/story-library.ts', 'server/store', 'server/auth'],
    ['server/session'],
    ['server/metrics', 'server/show'],
    ['server/cluster'],
    ['server/hub', 'server/http'],
    ['server/app.ts'],
    ['server/index.ts'],
  ],
  client: [['client/i18n'], ['client/player', 'client/dashboard', 'client/report', 'client/sim']],
  tools: [
    [
      'tools/command-output.ts',
      'tools/cli-invocation.ts',
      'tools/build-client.ts',
      'tools/quantile.ts',
    ],
    ['tools/closed-loop', 'tools/story', 'tools/load', 'tools/simulate.ts', 'tools/venue-demo.ts'],
    ['tools/training', 'tools/evaluation'],
    ['tools/bench'],
    ['tools/commands'],
    ['tools/cli.ts'],
  ],
  test: [['test']],
};

const isFile = (place) => place.endsWith('.ts');
/** How a policy names a place: a folder is an element, a loose file a file category. */
const select = (place) =>
  isFile(place) ? { file: { categories: place } } : { element: { type: place } };

/** Folders (and each stage's own folder, home of its loose files) are elements. */
const ELEMENTS = Object.values(LAYERS)
  .flat(2)
  .filter((place) => !isFile(place))
  .concat(Object.keys(LAYERS).filter((stage) => !LAYERS[stage].flat().includes(stage)))
  .map((place) => ({ type: place, pattern: place, partialMatch: false }));

/** Loose files are file categories, named by their path. */
const FILES = Object.values(LAYERS)
  .flat(2)
  .filter(isFile)
  .map((place) => ({ category: place, pattern: place }));

/**
 * A place may import itself, the layers below it in its stage, and anything in the stages its
 * stage may import. A loose file that is not declared has no policy: all its imports are refused.
 */
const POLICIES = Object.entries(LAYERS).flatMap(([stage, layers]) =>
  layers.flatMap((layer, i) =>
    layer.map((place) => ({
      from: select(place),
      allow: {
        to: [
          ...[place, ...layers.slice(0, i).flat()].map(select),
          // A stage's own folder (its loose files) and every folder below it.
          { element: { types: { anyOf: STAGES[stage].map((s) => `${s}{,/**}`) } } },
        ],
      },
    })),
  ),
);

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'data/**', 'coverage/**', '**/*.min.js'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    plugins: { boundaries, 'import-x': importX },
    settings: {
      'boundaries/elements': ELEMENTS,
      'boundaries/files': FILES,
      'boundaries/include': ['**/*.ts'],
      'boundaries/dependency-nodes': ['import', 'export', 'dynamic-import'],
      'import/resolver': { typescript: { project: './tsconfig.json' } },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: './tsconfig.json' })],
      'import-x/extensions': ['.ts'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
    },
    rules: {
      'boundaries/dependencies': ['error', { default: 'disallow', policies: POLICIES }],
      'boundaries/no-unknown-files': 'error',
      'boundaries/no-unknown-dependencies': 'error',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },
  {
    // Contracts are shared with the browser pages: zod and each other, nothing of Node or a stage.
    files: ['contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!zod$|\\./)',
              message: 'contracts/ imports only zod and other contracts (browser-safe, no stage)',
            },
          ],
        },
      ],
    },
  },
  {
    // The browser pages: contracts/ (boundaries above) and browser libraries, never Node.
    files: ['client/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [{ regex: '^node:', message: 'client/ runs in the browser: no Node modules' }],
        },
      ],
    },
  },
  {
    // Playwright evaluates a string predicate with eval inside the page, which the pages' CSP
    // (script-src 'self', server/http/security-headers.ts) forbids: tests and benches pass functions.
    files: ['test/**/*.ts', 'tools/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.property.name='waitForFunction'] > :matches(Literal, TemplateLiteral).arguments:first-child",
          message:
            "pass a function to waitForFunction: a string is eval'd in the page, which the CSP forbids",
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // chai-less assertions via node:assert and mocha's `this` contexts are fine in tests
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
    },
  },
);
