/**
 * The layering rule (README "Layout"):
 *   ledger <- application <- adapters <- runtime/cli <- scripts
 *   ledger/types.ts <- contract <- adapters
 * `npm run check:layers` runs it over the whole repository in CI; test/architecture/layers.test.ts
 * proves it fails on a forbidden import, and on a folder that belongs to no layer.
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
/** Every folder of ours, each in one layer; a source folder missing here fails `every-folder-has-a-layer`. */
const TOP = ['runtime', 'cli', 'bin', 'scripts'];
const TESTING = ['test', 'bench'];
const FOLDERS = ['ledger', 'application', 'contract', ...ADAPTERS, ...TOP, ...TESTING];
const TESTS = '(^|/)test/|\\.test\\.ts$';
const OURS = `^(${FOLDERS.join('|')})/`;
const within = (folders) => `^(${folders.join('|')})/`;

module.exports = {
  forbidden: [
    {
      name: 'every-folder-has-a-layer',
      comment: `a source file outside ${FOLDERS.join(', ')} (or the repository root): add its folder to a layer here`,
      severity: 'error',
      from: { path: '/', pathNot: `${OURS}|^node_modules/` },
      to: {},
    },
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
      to: { path: OURS, pathNot: within(['ledger', 'application']) },
    },
    {
      name: 'contract-imports-only-contract',
      comment:
        "contract/ (the API's request and response schemas, its OpenAPI document and generated types) " +
        "sits below the adapters: it imports itself and the ledger's vocabulary (ledger/types.ts), nothing else",
      severity: 'error',
      from: { path: '^contract/' },
      to: { path: OURS, pathNot: '^contract/|^ledger/types\\.ts$' },
    },
    ...ADAPTERS.map((adapter) => ({
      name: `adapter-${adapter.replace('/', '-')}-stays-in-its-lane`,
      comment: `${adapter}/ may import the contract, the application layer, the ledger and itself; never another adapter, runtime/ or cli/`,
      severity: 'error',
      from: { path: `^${adapter}/`, pathNot: TESTS },
      to: { path: OURS, pathNot: within(['ledger', 'application', 'contract', adapter]) },
    })),
    {
      name: 'runtime-is-below-the-entry-points',
      comment:
        'runtime/ composes the adapters for every entry point; it never imports cli/, bin/ or scripts/',
      severity: 'error',
      from: { path: '^runtime/' },
      to: { path: within(['cli', 'bin', 'scripts']) },
    },
    {
      name: 'cli-takes-its-wiring-from-runtime',
      comment: 'cli/ is an entry point over runtime/: it never imports scripts/ or bin/',
      severity: 'error',
      from: { path: '^cli/' },
      to: { path: within(['bin', 'scripts']) },
    },
    {
      name: 'n8n-node-is-self-contained',
      comment: 'a community node ships alone: it imports nothing of ours outside its package',
      severity: 'error',
      from: { path: '^integrations/n8n/(nodes|credentials)/' },
      to: { path: OURS, pathNot: '^integrations/n8n/' },
    },
    {
      name: 'no-circular',
      comment:
        'a module never reaches itself through its imports (types included): cut the circle with a narrower interface',
      severity: 'error',
      from: { path: OURS },
      to: { circular: true },
    },
    {
      name: 'no-source-imports-tests-or-benches',
      severity: 'error',
      from: {
        path: OURS,
        // Test support inside a package (integrations/n8n/test/support) is test code too.
        pathNot: `${TESTS}|${within(TESTING)}`,
      },
      to: { path: within(TESTING) },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist|\\.data|\\.tools|\\.git)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
