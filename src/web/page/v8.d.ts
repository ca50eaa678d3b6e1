// The core sets V8's Error.stackTraceLimit (src/diagnostics/diagnostic.ts), which @types/node
// declares and the DOM library does not; browsers without it just get one more property.
interface ErrorConstructor {
  stackTraceLimit: number;
}
