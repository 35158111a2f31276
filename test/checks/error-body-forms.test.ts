import { expect, test } from 'vitest';
import { errorBodySchema } from '../../lib/checks/error-body-schema.ts';
import { expectationFor, response } from '../support/fixtures.ts';

/**
 * ErrorBody is one of four concrete forms (spec/PROVENANCE.md, interpretation 12): each form with
 * fields beyond its named ones passes (the service adds some), a body in two forms at once does not.
 */
const info = { code: 'SDRS.0201', message: 'Invalid request parameters' };
const gateway = { error_code: 'APIG.0301', error_msg: 'Incorrect IAM authentication information', request_id: '0'.repeat(32) };

test.for([
  ['the error wrapper', { error: info }, true],
  ['the badrequest wrapper', { badrequest: info }, true],
  ['the itemNotFound wrapper', { itemNotFound: info }, true],
  ['the gateway form', gateway, true],
  ['a wrapper with extra fields inside and beside it', { error: { ...info, details: [] }, request_id: 'r' }, true],
  ['the gateway form with an extra field', { ...gateway, encoded_authorization_message: null }, true],
  ['code and message without a wrapper', info, false],
  ['an empty object', {}, false],
  ['a wrapper without a message', { itemNotFound: { code: 'SDRS.9404' } }, false],
  ['a gateway code of another shape', { ...gateway, error_code: 'SDRS.0201' }, false],
  ['two wrappers at once (ambiguous)', { error: info, badrequest: info }, false],
  ['a wrapper and the gateway form at once (ambiguous)', { error: info, ...gateway }, false],
] as const)('%s → %s', ([, body, accepted]) => {
  const violations = errorBodySchema(response(400, { body }), expectationFor());
  expect(violations.map((v) => v.checkId)).toEqual(accepted ? [] : ['error-body-schema']);
});
