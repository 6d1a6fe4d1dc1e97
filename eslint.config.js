import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'public/assets/', 'data/', 'tests/artefacts/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['public/js/**/*.js'],
    languageOptions: { globals: { ...globals.browser }, sourceType: 'module' },
  },
  // The shape of the code (architecture.md): routes never touch Prisma, services never touch Express,
  // domain rules do no I/O at all.
  {
    files: ['src/routes/**/*.ts', 'src/middleware/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/generated/prisma/*', '@prisma/*', '**/data/database*'], message: 'Routes call services; only src/data touches Prisma.' }] },
      ],
    },
  },
  {
    files: ['src/services/**/*.ts', 'src/jobs/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: ['express'], patterns: [{ group: ['**/generated/prisma/*', '@prisma/*'], message: 'Services use repositories in src/data, not Prisma.' }] },
      ],
    },
  },
  {
    files: ['src/domain/**/*.ts', 'src/journey/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['node:fs*', 'node:net', 'node:http', 'express', '**/data/*', '**/services/*', '**/generated/*'], message: 'Domain rules are pure: no I/O.' }] },
      ],
    },
  },
);
