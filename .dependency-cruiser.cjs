/**
 * The layering rule (README "Layout"): ledger <- application <- adapters <- runtime/cli.
 * `npm run check:layers` runs it in CI; test/architecture/layers.test.ts proves it fails on a
 * forbidden import.
 */
const ADAPTERS = [
  'workflows',
  'integrations/api',
  'integrations/webhook',
  'integrations/n8n',
  'integrations/mcp',
  'integrations/web',
  'bots',
];
/** Besides itself, the ledger and the application layer: the MCP tools take the API's request and
 * response schemas (one contract for both), nothing else of the API. */
const ALSO_ALLOWED = { 'integrations/mcp': ['integrations/api/schemas'] };
const TESTS = '(^|/)test/|\\.test\\.ts$';
const OURS = '^(ledger|application|workflows|integrations|bots|runtime|cli|bench|test|scripts)/';

module.exports = {
  forbidden: [
    {
      name: 'ledger-imports-only-ledger',
      comment: 'ledger/ is the domain and its SQL: it depends on nothing of ours outside ledger/',
      severity: 'error',
      from: { path: '^ledger/' },
      to: { path: OURS, pathNot: '^ledger/' },
    },
    {
      name: 'application-imports-only-ledger',
      comment: 'the application layer (use cases, ports, authorization) sits on the ledger alone',
      severity: 'error',
      from: { path: '^application/' },
      to: { path: OURS, pathNot: '^(ledger|application)/' },
    },
    ...ADAPTERS.map((adapter) => ({
      name: `adapter-${adapter.replace('/', '-')}-stays-in-its-lane`,
      comment: `${adapter}/ may import the application layer, the ledger and itself; never another adapter, runtime/ or cli/`,
      severity: 'error',
      from: { path: `^${adapter}/`, pathNot: TESTS },
      to: {
        path: OURS,
        pathNot: `^(${['ledger', 'application', adapter, ...(ALSO_ALLOWED[adapter] ?? [])].join('|')})/`,
      },
    })),
    {
      name: 'n8n-node-is-self-contained',
      comment: 'a community node ships alone: it imports nothing of ours outside its package',
      severity: 'error',
      from: { path: '^integrations/n8n/(nodes|credentials)/' },
      to: { path: OURS, pathNot: '^integrations/n8n/' },
    },
    {
      name: 'no-source-imports-tests-or-benches',
      severity: 'error',
      from: {
        path: '^(ledger|application|workflows|integrations|bots|runtime|cli)/',
        // Test support inside a package (integrations/n8n/test/support) is test code too.
        pathNot: TESTS,
      },
      to: { path: '^(test|bench)/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.tools)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
