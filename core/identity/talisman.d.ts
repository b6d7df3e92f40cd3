// Types for the two talisman modules the identity engine uses; talisman 1.1 ships no declarations.

declare module 'talisman/phonetics/double-metaphone' {
  /** Double Metaphone (Lawrence Philips, 2000): the primary and alternative phonetic codes of one word. */
  function doubleMetaphone(word: string): [primary: string, alternative: string];
  export = doubleMetaphone;
}

declare module 'talisman/metrics/jaro-winkler' {
  /** Jaro-Winkler similarity between two strings: 1 for identical, 0 for nothing in common. */
  function jaroWinkler(a: string, b: string): number;
  export = jaroWinkler;
}
