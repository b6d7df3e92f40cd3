/** Jest runs TypeScript through SWC (type-checking is `npm run build`). */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { jsc: { target: 'es2022' } }] },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '/.data/', '/scripts/ferretdb/.build/'],
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/', '<rootDir>/scripts/ferretdb/.build/'],
  testTimeout: 30000,
  globalSetup: '<rootDir>/test/helpers/global-setup.ts',
  maxWorkers: 2,
};
