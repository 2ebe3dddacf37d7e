// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const sdkPackages = [
  '@azure/arm-*',
  '@azure/identity',
  '@azure/core-*',
  '@azure/data-tables',
  '@azure/storage-queue',
  '@kubernetes/client-node',
];

/** Under ESM only app/input/output/trigger are real named exports of the CommonJS bundle. */
const functionsClassImports = {
  name: '@azure/functions',
  importNames: [
    'HttpRequest',
    'HttpResponse',
    'InvocationContext',
    'PreInvocationContext',
    'PostInvocationContext',
    'AppStartContext',
    'AppTerminateContext',
  ],
  allowTypeImports: true,
  message:
    'Not a named export at runtime under ESM (the package is a CommonJS bundle): use `import type`, or the default import in tests.',
};

export default tseslint.config(
  {
    ignores: ['dist/**', 'node_modules/**', 'coverage/**', '.local/**', 'scripts/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/return-await': ['error', 'always'],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': ['error', { paths: [functionsClassImports] }],
    },
  },
  {
    // Product code: small files, and never reaching into test infrastructure.
    files: ['functions/**/*.ts', 'shared/**/*.ts'],
    rules: {
      'max-lines': ['error', { max: 400, skipBlankLines: true, skipComments: true }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [functionsClassImports],
          patterns: [
            {
              group: ['**/dev/**', '**/test/**', '**/bench/**'],
              message: 'Product code must not import test infrastructure.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pure core: SDK clients only behind the narrow ports in shared/azure, shared/kube, shared/store.
    files: ['shared/**/*.ts'],
    ignores: ['shared/azure/**', 'shared/kube/**', 'shared/store/**', 'shared/runtime/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [functionsClassImports],
          patterns: [
            {
              group: ['**/dev/**', '**/test/**', '**/bench/**'],
              message: 'Product code must not import test infrastructure.',
            },
            {
              group: sdkPackages,
              allowTypeImports: false,
              message:
                'The core depends on narrow ports; SDK clients live in shared/azure, shared/kube or shared/store.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['functions/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [functionsClassImports],
          patterns: [
            {
              group: ['**/dev/**', '**/test/**', '**/bench/**'],
              message: 'Product code must not import test infrastructure.',
            },
            {
              group: sdkPackages,
              message: 'Triggers are thin: build SDK clients in shared/runtime, not in functions/.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
