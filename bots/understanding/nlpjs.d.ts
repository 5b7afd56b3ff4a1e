// The NLP.js packages ship no types; these are the parts the classifier uses.
declare module '@nlpjs/core' {
  export class Container {
    use(plugin: unknown): void;
  }
  export const Normalizer: unknown;
  export const Tokenizer: unknown;
  export const Stemmer: unknown;
  export const Stopwords: unknown;
  export const ArrToObj: unknown;
  const nlpCore: {
    Container: typeof Container;
    Normalizer: unknown;
    Tokenizer: unknown;
    Stemmer: unknown;
    Stopwords: unknown;
    ArrToObj: unknown;
  };
  export default nlpCore;
}

declare module '@nlpjs/lang-en-min' {
  const en: { LangEn: unknown };
  export default en;
}

declare module '@nlpjs/nlu' {
  export interface Classification {
    intent: string;
    score: number;
  }
  export class NluNeural {
    constructor(settings: Record<string, unknown>, container: unknown);
    train(corpus: { utterance: string; intent: string }[]): Promise<unknown>;
    process(text: string): Promise<{ classifications: Classification[] }>;
    /** The text's stems (NLP.js's own normaliser, tokenizer and stemmer), as keys. */
    prepare(text: string): Promise<Record<string, number>>;
    /** Every stem of the training corpus, after training. */
    features?: Record<string, number>;
    toJSON(): unknown;
    fromJSON(json: unknown): void;
    cache?: { results: Record<string, unknown> };
  }
  const nlu: { NluNeural: typeof NluNeural };
  export default nlu;
}
