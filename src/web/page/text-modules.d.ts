// Files the bundler embeds as text (esbuild's text loader; see src/web/build.mjs).
declare module '*.yml' {
  const text: string;
  export default text;
}
