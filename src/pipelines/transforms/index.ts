// The value transformations a pipeline can attach to a field mapping, by the name pipeline files
// use: one static registry (nothing registers itself when a module is imported).
import { RulecastError } from '../../diagnostics/diagnostic.js';
import type { Span } from '../../diagnostics/source.js';
import type { ValueTransform } from '../types.js';
import { argsInCommandline } from './commandline.js';
import type { TransformFactory } from './context.js';
import { basename, nameInPath } from './paths.js';
import { absent, constant, hexNumber, map, text } from './values.js';
import { domainUser, hashes, registryHive, sysmonHashes, sysmonRegistryData } from './windows.js';

export { cannot, isPresenceOnly, type TransformFactory } from './context.js';

const transforms: Readonly<Record<string, TransformFactory>> = {
  absent,
  'args-in-commandline': argsInCommandline,
  basename,
  constant,
  'domain-user': domainUser,
  hashes,
  'hex-number': hexNumber,
  map,
  'name-in-path': nameInPath,
  'registry-hive': registryHive,
  'sysmon-hashes': sysmonHashes,
  'sysmon-registry-data': sysmonRegistryData,
  text,
};

export function transformNames(): string[] {
  return Object.keys(transforms).sort();
}

export function makeTransform(name: string, args: unknown, span: Span | undefined): ValueTransform {
  const factory = Object.hasOwn(transforms, name) ? transforms[name] : undefined;
  if (!factory) {
    throw new RulecastError('unknown-transform', `unknown value transformation '${name}'; known: ${transformNames().join(', ')}`, span);
  }
  return { name, args, span, apply: factory(args, span) };
}
