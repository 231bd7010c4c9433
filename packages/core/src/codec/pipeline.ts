/**
 * Codec pipelines: text such as `delta|zigzag|varint|zstd:3` names a chain of registered
 * codecs. The element type flows through the chain (each stage may change it), so a stream
 * table that records the pipeline text and the field's starting type can decode a stream
 * with nothing else. Decode runs the stages in reverse with the same derived types.
 */
import { CorruptDataError, GenolakeError, InvalidArgumentError, NotFoundError } from '../errors.js';
import { isElementType } from './element-type.js';
import type { Codec, CodecStage, ElementType } from './types.js';

/** Where pipelines look codecs up by id. A Host satisfies it. */
export interface CodecRegistry {
  getCodec(id: string): Codec;
}

const STAGE_RE = /^([a-z0-9][a-z0-9_-]*)(?::([A-Za-z0-9._+=,-]+))?$/;

/** Parses pipeline text; '' and 'none' mean no stages. Whitespace around names is ignored. */
export function parsePipeline(text: string): CodecStage[] {
  const trimmed = text.trim();
  if (trimmed === '' || trimmed === 'none') return [];
  const stages: CodecStage[] = [];
  for (const raw of trimmed.split('|')) {
    const part = raw.trim().replace(/\s*:\s*/, ':');
    const m = STAGE_RE.exec(part);
    if (!m) {
      throw new InvalidArgumentError(
        `bad codec pipeline '${text}': stage '${raw.trim()}' is not "id" or "id:param" (ids use a-z, 0-9, '-' and '_')`,
      );
    }
    stages.push(m[2] === undefined ? { id: m[1]! } : { id: m[1]!, param: m[2] });
  }
  return stages;
}

/** Canonical text of a pipeline; no stages formats as 'none'. */
export function formatPipeline(stages: CodecStage[]): string {
  if (stages.length === 0) return 'none';
  return stages.map((s) => (s.param === undefined ? s.id : `${s.id}:${s.param}`)).join('|');
}

interface ResolvedStage {
  codec: Codec;
  param: string | undefined;
  /** Element type entering this stage on encode (leaving it on decode). */
  input: ElementType;
}

function resolve(registry: CodecRegistry, pipeline: string, input: ElementType): ResolvedStage[] {
  if (!isElementType(input)) throw new InvalidArgumentError(`unknown element type "${String(input)}" for pipeline '${pipeline}'`);
  const out: ResolvedStage[] = [];
  let type = input;
  for (const stage of parsePipeline(pipeline)) {
    let codec: Codec;
    try {
      codec = registry.getCodec(stage.id);
    } catch (e) {
      throw new NotFoundError(`unknown codec "${stage.id}" in pipeline '${pipeline}'`, { cause: e });
    }
    try {
      codec.validate?.(type, stage.param);
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new InvalidArgumentError(`${why} in pipeline '${pipeline}'`, { cause: e });
    }
    out.push({ codec, param: stage.param, input: type });
    const next = codec.outputType ? codec.outputType(type, stage.param) : type;
    if (!isElementType(next)) {
      throw new InvalidArgumentError(`codec ${codec.id} reports unknown output type "${String(next)}" in pipeline '${pipeline}'`);
    }
    type = next;
  }
  return out;
}

/**
 * The element type at each boundary of the pipeline: [input, after stage 1, ..., encoded].
 * Validates every stage against the type it receives.
 */
export function pipelineTypes(registry: CodecRegistry, pipeline: string, input: ElementType): ElementType[] {
  const stages = resolve(registry, pipeline, input);
  const types: ElementType[] = stages.map((s) => s.input);
  const last = stages[stages.length - 1];
  types.push(last ? (last.codec.outputType ? last.codec.outputType(last.input, last.param) : last.input) : input);
  return types;
}

function describeStage(pipeline: string, index: number, stage: ResolvedStage): string {
  return `stage ${index + 1} (${stage.codec.id}${stage.param === undefined ? '' : ':' + stage.param}, ${stage.input}) of pipeline '${pipeline}'`;
}

/** Encodes `data`, a stream of `type` elements, through every stage in order. */
export function encodePipeline(registry: CodecRegistry, pipeline: string, data: Uint8Array, type: ElementType): Uint8Array {
  const stages = resolve(registry, pipeline, type);
  let cur = data;
  for (let i = 0; i < stages.length; i++) {
    const s = stages[i]!;
    try {
      cur = s.codec.encode(cur, { type: s.input, param: s.param });
    } catch (e) {
      if (e instanceof GenolakeError && !(e instanceof CorruptDataError) && !(e instanceof InvalidArgumentError)) throw e;
      const why = e instanceof Error ? e.message : String(e);
      throw new InvalidArgumentError(`encoding ${describeStage(pipeline, i, s)} failed: ${why}`, { cause: e });
    }
  }
  return cur;
}

/**
 * Decodes bytes produced by encodePipeline; `type` is the unencoded element type the
 * encoder was given. Any stage failure is a CorruptDataError naming the pipeline and stage.
 */
export function decodePipeline(registry: CodecRegistry, pipeline: string, data: Uint8Array, type: ElementType): Uint8Array {
  const stages = resolve(registry, pipeline, type);
  let cur = data;
  for (let i = stages.length - 1; i >= 0; i--) {
    const s = stages[i]!;
    try {
      cur = s.codec.decode(cur, { type: s.input, param: s.param });
    } catch (e) {
      const why = e instanceof Error ? e.message : String(e);
      throw new CorruptDataError(`decoding ${describeStage(pipeline, i, s)} failed: ${why}`, { cause: e });
    }
  }
  return cur;
}
