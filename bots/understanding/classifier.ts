import nlpCore from '@nlpjs/core';
import en from '@nlpjs/lang-en-min';
import nlu, { type NluNeural } from '@nlpjs/nlu';

/**
 * The intent classifier: NLP.js's neural NLU (a one-layer network over English stems), trained
 * in-process from the labelled corpus. It reads the masked question ("how much would znum zitem
 * cost"), so what it learns does not depend on one catalog's model names.
 */

export interface Scored {
  intent: string;
  score: number;
}

export class IntentClassifier {
  private constructor(private readonly net: NluNeural) {}

  private static container() {
    const container = new nlpCore.Container();
    for (const plugin of [
      nlpCore.Normalizer,
      nlpCore.Tokenizer,
      nlpCore.Stemmer,
      nlpCore.Stopwords,
      nlpCore.ArrToObj,
      en.LangEn,
    ]) {
      container.use(plugin);
    }
    return container;
  }

  static async train(corpus: { utterance: string; intent: string }[]): Promise<IntentClassifier> {
    const net = new nlu.NluNeural(
      { locale: 'en', log: false, useNoneFeature: true },
      IntentClassifier.container(),
    );
    await net.train(corpus);
    return new IntentClassifier(net);
  }

  /** The trained network as JSON (NLP.js's own format), to ship with the corpus it was trained on. */
  toJSON(): unknown {
    return this.net.toJSON();
  }

  static fromJSON(json: unknown): IntentClassifier {
    const net = new nlu.NluNeural(
      { locale: 'en', log: false, useNoneFeature: true },
      IntentClassifier.container(),
    );
    net.fromJSON(json);
    return new IntentClassifier(net);
  }

  /**
   * Intents by score, best first, and the share of the text's word stems the corpus never used:
   * the network is as sure about "what ate our credits" as about "what are our credits", so the
   * caller lowers its confidence by how much of the question it has never seen.
   */
  async classify(masked: string): Promise<{ scores: Scored[]; unseen: number }> {
    const stems = Object.keys(await this.net.prepare(masked));
    const out = await this.net.process(masked);
    // NLP.js memoises every text it prepared; a chat bot sees unbounded distinct texts.
    if (this.net.cache) this.net.cache.results = {};
    const features = this.net.features ?? {};
    const unseen = stems.length === 0 ? 1 : stems.filter((s) => !(s in features)).length / stems.length;
    return { scores: out.classifications.filter((c) => c.score > 0), unseen };
  }
}
