// Writes the run's totals to .jest-results.json so .ci/run can print "N passed, M failed" after `npm test`
// (CI reads that line; Jest's own summary format is not recognised there).
import { writeFileSync } from 'node:fs';
import path from 'node:path';

export default class SummaryReporter {
  onRunComplete(_contexts, results) {
    const file = path.resolve(import.meta.dirname, '../../.jest-results.json');
    writeFileSync(
      file,
      JSON.stringify({
        numPassedTests: results.numPassedTests,
        numFailedTests: results.numFailedTests,
        numPendingTests: results.numPendingTests,
        numTotalTests: results.numTotalTests,
        numFailedTestSuites: results.numFailedTestSuites,
        numRuntimeErrorTestSuites: results.numRuntimeErrorTestSuites,
        success: results.success,
      }),
    );
  }
}
