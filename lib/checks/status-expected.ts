import { list, violation, type Check } from './check-model.ts';

/** The status must be one the expectation table allows for the case's condition. */
export const statusExpected: Check = (response, expectation) =>
  !expectation.expectedStatuses || expectation.expectedStatuses.includes(response.status)
    ? []
    : [
        violation('status-expected', {
          title: 'Status not expected for this condition',
          expected: list(expectation.expectedStatuses),
          received: String(response.status),
          where: 'status',
        }),
      ];
