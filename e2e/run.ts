// `npm run e2e`: serves the built page (the test command builds it first) with the suite's fixture
// datasets, drives it in Debian's Chromium and prints one line per case and
// "e2e: N passed, M failed, K skipped"; exits non-zero on failure.
import { launchChromium } from './browser';
import { cases } from './cases';
import { classroomCases } from './classroomCases';
import { datasetCases } from './datasetCases';
import { frontDoorCases } from './frontDoorCases';
import { prepareFixtureDatasets } from './fixtureDatasets';
import { landscapeCases } from './landscapeCases';
import { presentationCases } from './presentationCases';
import { runCases } from './runner';
import { securityCases } from './securityCases';
import { servePreview } from './server';
import { shareCases } from './shareCases';

const t0 = Date.now();
// First: a missing Chromium fails before anything starts, with one line saying how to install it.
const browser = await launchChromium().catch((e: Error) => {
  console.error(`e2e: ${e.message}`);
  return process.exit(1);
});
const fixtures = prepareFixtureDatasets();
const server = await servePreview({ datasets: fixtures.dir });
let failed = 1;
try {
  const only = process.argv[2];
  const all = [...frontDoorCases(server.url), ...cases(browser.context, server.url), ...classroomCases(browser.context, server.url), ...presentationCases(browser.context, server.url), ...landscapeCases(browser.context, server.url), ...datasetCases(browser.context, server.url), ...shareCases(browser.context, server.url), ...securityCases(browser.context, server.url)];
  ({ failed } = await runCases(only ? all.filter((c) => c.name.includes(only)) : all));
} finally {
  await browser.close();
  await server.close();
  fixtures.remove();
}
console.log(`e2e took ${((Date.now() - t0) / 1000).toFixed(0)} s`);
process.exit(failed > 0 ? 1 : 0);
