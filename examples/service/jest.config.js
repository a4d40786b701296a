const path = require('path');

// In your project: module.exports = { preset: 'jest-chaos' };
module.exports = {
  preset: path.resolve(__dirname, '../../jest-preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/test/**/*.test.ts'],
};
