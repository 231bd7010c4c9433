import { noParam } from '../params.js';
import type { Codec } from '../types.js';

/** The identity stage. Returns its input as is (streams are never mutated after encoding). */
export const noneCodec: Codec = {
  id: 'none',
  description: 'no transformation',
  validate(_input, param) {
    noParam('none', param);
  },
  encode: (data) => data,
  decode: (data) => data,
};
