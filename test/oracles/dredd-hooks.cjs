// Dredd hooks for test/oracles/dredd.test.ts (Dredd loads them with require, so CommonJS).
const hooks = require('hooks');

// Dredd runs only the first response of an operation unless a hook unskips the rest. Each error
// transaction asks the reference server for its status with Prefer: code=NNN (Prism's convention),
// so every documented response is exercised, driven by the spec's examples for ids and query values.
// The bulk delete stays off limits (x-sdrs-role: off-limits): nobody's jobs are deleted wholesale.
hooks.beforeEach((transaction, done) => {
  if (/\/failure-jobs\/batch$/.test(transaction.request.uri)) {
    transaction.skip = true;
    return done();
  }
  transaction.skip = false;
  const status = Number(transaction.expected.statusCode);
  if (status >= 400) transaction.request.headers.Prefer = `code=${status}`;
  return done();
});

// Dredd compares Content-Type literally; `application/json;charset=UTF-8` (the HW sample's form) is
// the documented `application/json` with a parameter (RFC 9110 §8.3), so only the media type is compared.
hooks.beforeEachValidation((transaction, done) => {
  const type = transaction.real.headers['content-type'];
  if (type) transaction.real.headers['content-type'] = type.split(';')[0].trim();
  return done();
});
