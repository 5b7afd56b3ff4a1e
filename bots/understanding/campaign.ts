import type { CampaignSlot } from './types.js';

/**
 * "a 2-week campaign on 3 platforms, 5 posts a week" → posts = platforms × weeks × posts a week,
 * each assumption stated. Reads the words of the question (numbers as digits or words).
 */

const PLATFORMS = [
  'linkedin',
  'twitter',
  'x',
  'instagram',
  'facebook',
  'tiktok',
  'youtube',
  'threads',
  'pinterest',
];
const COMPLEXITY = new Set(['simple', 'standard', 'complex']);

export function readCampaign(
  words: string[],
  numberAt: (i: number) => number | undefined,
  use: (i: number) => void,
): CampaignSlot {
  const assumptions: string[] = [];
  const before = (unit: RegExp): number | undefined => {
    for (let i = 1; i < words.length; i++) {
      if (!unit.test(words[i]!)) continue;
      // "2-week" is read as two words by the scanner: "2", "week".
      const n = numberAt(i - 1);
      if (n !== undefined) {
        use(i - 1);
        return n;
      }
    }
    return undefined;
  };
  let weeks = before(/^weeks?$/);
  if (weeks === undefined) {
    const months = before(/^months?$/);
    if (months !== undefined) weeks = months * 4;
    else if (words.some((w) => /^month(-long|ly)?$/.test(w))) weeks = 4;
    else if (words.includes('week')) weeks = 1;
  }
  if (weeks === undefined) {
    weeks = 4;
    assumptions.push('4 weeks');
  }
  let platforms = before(/^platforms?$/);
  if (platforms === undefined) {
    const named = PLATFORMS.filter((p) => words.includes(p)).length;
    if (named > 0) platforms = named;
    else if (
      words.some((w) => /^(multi|cross)-?platform$/.test(w)) ||
      words.join(' ').includes('all platforms')
    ) {
      platforms = 3;
      assumptions.push('3 platforms');
    } else {
      platforms = 1;
      assumptions.push('1 platform');
    }
  }
  let postsPerWeek: number | undefined;
  for (let i = 0; i + 1 < words.length; i++) {
    const n = numberAt(i);
    if (n === undefined) continue;
    const rest = words.slice(i + 1, i + 4).join(' ');
    if (/^(posts? )?(a|per|each|every) week\b/.test(rest)) {
      postsPerWeek = n;
      use(i);
    } else if (/^(posts? )?(a|per|each|every) day\b/.test(rest)) {
      postsPerWeek = n * 7;
      use(i);
    }
  }
  if (postsPerWeek === undefined && words.includes('daily')) postsPerWeek = 7;
  if (postsPerWeek === undefined) {
    postsPerWeek = 5;
    assumptions.push('5 posts a week');
  }
  const complexity = words.find((w) => COMPLEXITY.has(w));
  return { platforms, weeks, postsPerWeek, ...(complexity ? { complexity } : {}), assumptions };
}
