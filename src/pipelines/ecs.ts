// ECS field names and types from Elastic's own package: `EcsFlat` of @elastic/ecs, extracted at build
// time (scripts/build.mjs → src/generated/ecs.ts) so the core reads it without a file system or a
// 1.5 MB module. Exclusion fields are checked against it (src/pipelines/namespace.ts).
import { ecsFieldTypesJson, ecsVersion } from '../generated/ecs.js';

export { ecsVersion };

let types: ReadonlyMap<string, string> | undefined;

function table(): ReadonlyMap<string, string> {
  types ??= new Map(Object.entries(JSON.parse(ecsFieldTypesJson) as Record<string, string>));
  return types;
}

/** The ECS type of a field (`keyword`, `long`, `ip`…), or undefined when ECS has no such field. */
export function ecsFieldType(name: string): string | undefined {
  return table().get(name);
}

export function isEcsField(name: string): boolean {
  return table().has(name);
}

/** Every ECS field name, sorted. */
export function ecsFieldNames(): readonly string[] {
  return [...table().keys()];
}
