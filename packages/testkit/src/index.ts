export { describeCodec } from './codec.js';
export type { DescribeCodecOptions } from './codec.js';
export { describeObjectStore, patternBytes, chunked } from './object-store.js';
export type { ObjectStoreFactory, ObjectStoreSuiteOptions } from './object-store.js';
export { describeDriver, bytesSource, memorySink } from './driver.js';
export type { DriverFixtures, DescribeDriverOptions } from './driver.js';
export { runCommitRace } from './commit-race.js';
export { testFiles, HTSLIB_TEST_ROOTS } from './corpus.js';
