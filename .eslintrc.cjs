/* ESLint 9 in eslintrc mode: run with ESLINT_USE_FLAT_CONFIG=false (see package.json). */
module.exports = {
  root: true,
  parser: '@typescript-eslint/parser',
  parserOptions: { ecmaVersion: 2022, sourceType: 'module' },
  plugins: ['@typescript-eslint'],
  extends: ['eslint:recommended', 'plugin:@typescript-eslint/recommended'],
  env: { node: true, es2022: true },
  ignorePatterns: ['dist/', 'node_modules/', 'fixtures/', 'coverage/'],
  rules: {
    '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    '@typescript-eslint/consistent-type-imports': 'error',
    eqeqeq: ['error', 'always'],
    'no-console': 'off',
  },
  overrides: [
    { files: ['*.mjs', '*.js', '*.cjs'], rules: { '@typescript-eslint/no-require-imports': 'off' } },
    {
      files: ['src/**/*.ts'],
      rules: {
        '@typescript-eslint/no-restricted-imports': [
          'error',
          { paths: [{ name: 'typescript', allowTypeImports: true, message: 'import { ts } from src/util/typescript.cjs: it loads TypeScript through the code cache' }] },
        ],
      },
    },
  ],
};
