/**
 * @genolake/example-bed-intervals: the worked example plugin of docs/plugin-guide.md. The
 * default export is a factory (style rule 11); `genolake` discovers it from package.json.
 */
import { definePlugin } from '@genolake/core/plugin';
import { driver } from './driver.js';

export { driver } from './driver.js';
export { bedSchema, parseBedLine, formatBed, type BedRecord } from './record.js';

export default function bedIntervals() {
  return definePlugin({
    name: '@genolake/example-bed-intervals',
    // The plugin API major this code was written against: a literal, never the host's constant.
    apiVersion: 1,
    version: '0.1.0',
    setup(host) {
      host.registerDriver(driver);
    },
  });
}
