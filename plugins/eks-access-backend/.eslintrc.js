/*
 * Dependencies point one way, from the routes down to AWS:
 *   router, actions, proof, attempts, denials, requests -> service -> identity, snapshots -> aws
 * Each folder below may not import from the folders above it (tests may).
 */
const testPatterns = [
  '*.stories*',
  '*.test*',
  '**/__testUtils__/**',
  '**/__mocks__/**',
];
const routes = [
  'router',
  'plugin',
  'actions',
  'proof',
  'attempts',
  'denials',
  'requests',
];
const layer = (folder, above) => ({
  files: [`src/${folder}/**`],
  excludedFiles: ['**/*.test.*'],
  rules: {
    'no-restricted-imports': [
      2,
      {
        patterns: [
          { group: testPatterns },
          ...above.map(name => ({
            group: [`../${name}`, `../${name}/*`],
            message: `src/${folder} sits below src/${name}: move the shared code down instead`,
          })),
        ],
      },
    ],
  },
});

module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    layer('aws', ['snapshots', 'identity', 'service', ...routes]),
    layer('snapshots', ['identity', 'service', ...routes]),
    layer('identity', ['snapshots', 'service', ...routes]),
    layer('service', routes),
  ],
});
