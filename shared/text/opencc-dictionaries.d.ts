// opencc-js publishes its dictionaries as modules (`opencc-js/dict/<name>`, each a serialised
// "source replacement|…" string) without type declarations.
declare module 'opencc-js/dict/*' {
  const dictionary: string;
  export default dictionary;
}
