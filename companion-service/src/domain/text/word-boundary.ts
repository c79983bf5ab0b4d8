/**
 * Where a name written in letters starts and ends. Chinese puts no space around a Latin name
 * ("我们用的是Gong，"), so a Han character is a boundary; any other letter or digit is not ("Gongs",
 * "Clarity"). Written as regex source for patterns built from names.
 */
export const NAME_START = String.raw`(?<!(?!\p{Script=Han})[\p{L}0-9])`;
export const NAME_END = String.raw`(?!(?!\p{Script=Han})[\p{L}0-9])`;
