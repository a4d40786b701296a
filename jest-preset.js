// preset: 'jest-chaos' — the chaos environment, runner (file selection) and reporter, with absolute paths.
module.exports = require('./dist/src/config/preset.js').presetConfig();
