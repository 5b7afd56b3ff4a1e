/**
 * Numbers written as words: one base table of cardinals, and what each use adds to it. "a" and
 * "one" are a quantity before an item ("one veo video") or a window ("a week"), never a stray
 * number elsewhere; "couple" is a quantity only.
 */
/** A lookup with no prototype: "constructor" or "__proto__" typed in chat is not a number. */
const table = (entries: Record<string, number>): Readonly<Record<string, number>> =>
  Object.freeze(Object.assign(Object.create(null) as Record<string, number>, entries));

const CARDINALS: Readonly<Record<string, number>> = {
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  thirteen: 13,
  fourteen: 14,
  fifteen: 15,
  sixteen: 16,
  seventeen: 17,
  eighteen: 18,
  nineteen: 19,
  twenty: 20,
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
  hundred: 100,
};

/** Stray numbers anywhere in a question (amounts, thresholds, limits). */
export const NUMBER_WORDS = table({ ...CARDINALS, dozen: 12, thousand: 1000 });

/** How many of an item ("a couple of veo videos", "a dozen images"). */
export const QUANTITY_WORDS = table({
  ...CARDINALS,
  a: 1,
  an: 1,
  one: 1,
  single: 1,
  couple: 2,
  dozen: 12,
});

/** How many days, weeks or months a window spans ("the last two weeks", "a month"). */
export const SPAN_WORDS = table({ ...CARDINALS, a: 1, one: 1 });
