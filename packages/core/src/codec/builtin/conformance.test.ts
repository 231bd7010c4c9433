// Every built-in codec runs the same conformance suite third-party codecs run.
import { describeCodec } from '@genolake/testkit';
import { deflateCodec, deltaCodec, gzipCodec, noneCodec, nuc2bitCodec, transposeCodec, varintCodec, zigzagCodec, zstdCodec } from './index.js';

describeCodec(noneCodec, { types: ['bytes', 'u32'] });
describeCodec(deflateCodec, { params: [undefined, '0', '9'], types: ['bytes', 'u32'] });
describeCodec(gzipCodec, { params: ['1'], types: ['bytes'] });
describeCodec(zstdCodec, { params: [undefined, '1', '19'], types: ['bytes', 'i64'] });
describeCodec(deltaCodec);
describeCodec(zigzagCodec);
describeCodec(varintCodec);
describeCodec(transposeCodec);
describeCodec(nuc2bitCodec, { maxSize: 2000 });
