// `require('nock')` in a test file maps here: the same nock instance that jest-chaos drives.
module.exports = globalThis[Symbol.for('jest-chaos.nock')];
