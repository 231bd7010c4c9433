import { fileURLToPath } from 'node:url';
import { describeDriver } from '@genolake/testkit';
import { driver } from './driver.js';

const genes = fileURLToPath(new URL('../../data/genes.bed', import.meta.url));

// The conformance suite every driver runs; chunks of 100 records give many chunks per contig.
describeDriver(driver, {
  input: genes,
  regions: ['chr1:1000000-5000000', 'chr2', 'chrX:150000000-', 'chr21:1-1', 'chrUn:1-100'],
  expectedRecords: 3000,
  convertOptions: { chunkRecords: 100 },
  projectField: 'name',
});
