import { afterAll } from 'vitest';
import { takeViolations, watchResponses } from './response-contract.ts';

// Every server test file is also a contract test: whatever its servers answered must be
// declared in the OpenAPI document they publish.
watchResponses();

afterAll(() => {
  const violations = takeViolations();
  if (violations.length > 0) {
    const lines = violations.map(({ route, status, problem }) => `  ${route} → ${status}: ${problem}`);
    throw new Error(`responses the OpenAPI document does not declare:\n${lines.join('\n')}`);
  }
});
