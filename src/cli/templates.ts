// The user's own templates (`convert --template`): compiled here, in the command line, with the
// full Handlebars build (the library itself only renders precompiled templates and never compiles
// code). They are rendered like the built-in ones: with rulecast's helpers and partials, in strict
// mode (a name the context lacks is an error) and without HTML escaping.
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { RulecastError } from '../diagnostics/diagnostic.js';
import { span } from '../diagnostics/source.js';
import type { UserTemplate } from '../output/templates.js';
import { readTextFile } from './files.js';

interface Compiler {
  compile(text: string, options: object): (context: object, options: object) => string;
  parse(text: string): unknown;
}

let compiler: Compiler | undefined;

function handlebars(): Compiler {
  // Loaded on first use only: a run without --template never loads the compiler.
  compiler ??= createRequire(import.meta.url)('handlebars') as Compiler;
  return compiler;
}

/** A template file of the user's, compiled; a syntax error is located in the file. */
export function compileUserTemplate(path: string): UserTemplate {
  const source = readTextFile(path, resolve(path));
  const hbs = handlebars();
  try {
    hbs.parse(source.text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const line = Number(/on line (\d+)/.exec(message)?.[1] ?? 1);
    const offset = source.text.split('\n').slice(0, line - 1).join('\n').length + (line > 1 ? 1 : 0);
    throw new RulecastError('invalid-template', `template ${path} is not a Handlebars template: ${message.split('\n')[0]}`, span(source, offset, offset + 1));
  }
  const template = hbs.compile(source.text, { noEscape: true, strict: true });
  return Object.assign((context: object, options: object) => template(context, options), { source });
}
