/**
 * The SDK entry points this package uses, in one place. Loaded with `require`, which gets the
 * SDK's `dist-cjs` build: its `dist-es` build is for bundlers (extensionless ESM imports that
 * Node cannot load), and a process started with `--conditions module` (vitest passes its
 * resolve.conditions to Node) would pick it for any import; the error below names that
 * cause. The types come from the package's declarations.
 */
import { createRequire } from 'node:module';
import type * as S3 from '@aws-sdk/client-s3';

function load(): typeof S3 {
  try {
    return createRequire(import.meta.url)('@aws-sdk/client-s3') as typeof S3;
  } catch (e) {
    if (/dist-es/.test(String((e as Error)?.message))) {
      // Node itself runs with `--conditions module` (vitest passes its resolve.conditions on).
      throw new Error(
        "@aws-sdk/client-s3 cannot load: this process resolves packages with the 'module' condition " +
          "(e.g. vitest resolve.conditions containing 'module'), which selects the SDK's bundler-only dist-es build; drop 'module' from those conditions",
        { cause: e },
      );
    }
    throw e;
  }
}

const sdk = load();

export const {
  S3Client, GetObjectCommand, HeadObjectCommand, PutObjectCommand, ListObjectsV2Command, DeleteObjectCommand, CreateBucketCommand,
  CreateMultipartUploadCommand, UploadPartCommand, CompleteMultipartUploadCommand, AbortMultipartUploadCommand,
} = sdk;
export type S3Client = S3.S3Client;
export type { S3ClientConfig, CompletedPart, RequestPayer } from '@aws-sdk/client-s3';
