// The rules `n8n-node lint` (@n8n/node-cli) applies to community nodes, without the cli itself:
// @eslint/js + typescript-eslint recommended + @n8n/eslint-plugin-community-nodes recommended
// (source files and package.json). See README "Build and lint" for why the cli is not a dependency.
import js from '@eslint/js';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import { globalIgnores } from 'eslint/config';
import tseslint from 'typescript-eslint';

const communityNodes = n8nCommunityNodesPlugin.configs.recommended;

export default tseslint.config(
  globalIgnores(['dist', 'test', 'e2e', 'scripts', 'examples', 'vitest.config.mts']),
  {
    files: ['**/*.ts'],
    extends: [js.configs.recommended, tseslint.configs.recommended, communityNodes],
    rules: {
      'prefer-spread': 'off',
      'no-console': 'error',
    },
  },
  {
    files: ['package.json'],
    extends: [communityNodes],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { extraFileExtensions: ['.json'] },
    },
  },
);
