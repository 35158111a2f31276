import { list, violation, type Check } from './check-model.ts';

/** Every status the target sends must be one the doc lists (sdrs_05_0902 返回值). */
export const statusDocumented: Check = (response, expectation) =>
  expectation.documentedStatuses.includes(response.status)
    ? []
    : [
        violation('status-documented', {
          title: 'Status not documented for this operation',
          expected: `one of ${list(expectation.documentedStatuses)}`,
          received: String(response.status),
          where: 'status',
        }),
      ];
