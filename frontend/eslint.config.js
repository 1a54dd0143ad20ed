// ESLint here checks one thing: imports run one way (issue 13 §2). `make vet`
// runs it (`npm run lint`); formatting and style are TypeScript's and the
// reviewers' business.
//
//   src/app/         the shell, router, session gate: may import anything
//   src/features/*/  one feature each: may import components, lib, api and
//                    other features, never app/
//   src/components/  shared pieces, and src/lib/ shared logic: never a
//                    feature or app/ (a piece that needs a feature belongs
//                    to that feature, or to app/)
//
// and no import cycles anywhere in src/.
import importPlugin from 'eslint-plugin-import';
import tseslint from 'typescript-eslint';

const upward = (targets, why) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ group: targets.flatMap((t) => [`**/${t}`, `**/${t}/**`]), message: why }] },
  ],
});

export default [
  { ignores: ['dist/**', 'node_modules/**', 'dev-dist/**', 'coverage/**'] },
  {
    files: ['src/**/*.{ts,tsx}'],
    languageOptions: { parser: tseslint.parser, parserOptions: { ecmaFeatures: { jsx: true } } },
    plugins: { import: importPlugin },
    settings: {
      'import/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import/resolver': { node: { extensions: ['.ts', '.tsx', '.js', '.json'] } },
    },
    rules: { 'import/no-cycle': ['error', { ignoreExternal: true }] },
  },
  {
    files: ['src/components/**/*.{ts,tsx}', 'src/lib/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}'],
    rules: upward(['features', 'app'], 'components/ and lib/ are shared: they import no feature and not app/ (docs/architecture.md, "Frontend").'),
  },
  {
    files: ['src/features/**/*.{ts,tsx}'],
    ignores: ['**/*.test.{ts,tsx}', '**/testing.tsx'],
    rules: upward(['app'], 'features import no app/ code: the shell imports them (docs/architecture.md, "Frontend").'),
  },
];
