import { afterAll, expect } from 'vitest';
import { takeViolations, watchResponses } from './response-contract.ts';

// Every server test file is also a contract test: whatever its servers answered must be
// declared in the OpenAPI document they publish.
watchResponses();

afterAll(() => {
  expect(takeViolations(), 'responses the OpenAPI document does not declare').toEqual([]);
});
