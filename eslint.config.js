import tseslint from 'typescript-eslint';

// The layers go one way: core <- worker <- state <- ui. Each block fences one layer.
const layer = (files, forbidden, extra = []) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: forbidden
          .map((dir) => ({
            group: [`**/${dir}/**`, `**/${dir}`],
            message: `this layer must not import from src/${dir}`,
          }))
          .concat(extra),
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist', 'node_modules', 'datasets', 'public', 'e2e/artifacts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Types are imported as types (`verbatimModuleSyntax` then keeps every other import as written).
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { fixStyle: 'inline-type-imports', disallowTypeAnnotations: false },
      ],
      '@typescript-eslint/no-import-type-side-effects': 'error',
    },
  },
  layer(
    ['src/core/**/*.ts'],
    ['worker', 'state', 'ui'],
    [{ group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'recharts'], message: 'src/core is pure TS + tfjs' }],
  ),
  {
    files: ['src/core/**/*.ts'],
    ignores: ['src/core/**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'fetch',
        'navigator',
        'localStorage',
        'indexedDB',
        'self',
      ],
    },
  },
  layer(
    ['src/worker/**/*.ts'],
    ['state', 'ui'],
    [
      {
        group: ['react', 'react-dom', 'react-dom/*', 'zustand', 'recharts'],
        message: 'workers import nothing from the UI',
      },
    ],
  ),
  layer(['src/state/**/*.ts', 'src/state/**/*.tsx'], ['ui']),
  // The UI reaches the workers through the controllers made in main.tsx (state/), never directly.
  layer(['src/ui/**/*.ts', 'src/ui/**/*.tsx'], ['worker']),
);
