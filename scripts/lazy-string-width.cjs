// Stands in for `string-width` in the CLI bundle (see build-bin.mjs). yargs and
// cliui import it only to measure help and error text, but loading it builds an
// Intl.Segmenter and Unicode-property regexps, about 13 ms of every run's
// start-up. This loads the real package the first time text is measured.
let stringWidth;

module.exports = function lazyStringWidth(text, options) {
  stringWidth ??= require("string-width").default;
  return stringWidth(text, options);
};
