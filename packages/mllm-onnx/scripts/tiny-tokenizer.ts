/**
 * A tiny tokenizer in the real `tokenizer.json` format (WordPiece model, Whitespace pre-tokenizer, added
 * special tokens), so fixtures are loaded by transformers.js' own `AutoTokenizer` exactly like a real
 * checkpoint's tokenizer. Whole words for the phrases tests use; every other word falls back to single
 * characters (`r`, `##e`, ...), so any ASCII text tokenizes without `[UNK]`.
 */

/** Words that get a single token each (everything else is spelled out in characters). */
const WORDS = [
  'a',
  'an',
  'the',
  'of',
  'is',
  'are',
  'person',
  'photo',
  'picture',
  'red',
  'green',
  'blue',
  'riding',
  'holding',
  'sitting',
  'on',
  'bicycle',
  'horse',
  'cup',
  'drinking',
  'with',
  'eating',
  'coordinates',
  'object',
  'features',
  'interaction',
  'select',
  'correct',
  'between',
  'given',
  'and',
  'from',
  'list',
  'Yes',
  'No',
  'yes',
  'no',
  'Is',
  'The',
  'Select',
  'user',
  'assistant',
  'system',
  'What',
  'doing',
  // Verbs and objects of the benchmark's candidate phrases (single tokens, as in real subword vocabularies).
  'repairing',
  'washing',
  'carrying',
  'pushing',
  'kite',
  'skateboard',
  'laptop',
  'umbrella',
  'pizza',
  'boat',
  'train',
];
const CHARS = [
  ...'abcdefghijklmnopqrstuvwxyz',
  ...'ABCDEFGHIJKLMNOPQRSTUVWXYZ',
  ...'0123456789',
  ...',.:;?!\'"()[]{}<>|_-+=/*&%$#@~`^\\',
];

export interface TinyTokenizer {
  /** `tokenizer.json` content. */
  tokenizer: Record<string, unknown>;
  /** `tokenizer_config.json` content. */
  tokenizerConfig: Record<string, unknown>;
  /** token -> id for every token, special tokens included. */
  vocab: Map<string, number>;
  /** Number of ids (model vocabulary must be at least this). */
  size: number;
}

export interface TinyTokenizerOptions {
  /** Special tokens appended after the normal vocabulary, in order. */
  specialTokens?: string[];
  tokenizerClass?: string;
  chatTemplate?: string;
  eosToken?: string;
  padToken?: string;
  modelMaxLength?: number;
}

/** Builds the tokenizer files. Ids: [PAD]=0, [UNK]=1, words, chars, ##chars, then `specialTokens`. */
export function buildTinyTokenizer(options: TinyTokenizerOptions = {}): TinyTokenizer {
  const vocab = new Map<string, number>();
  const add = (t: string) => {
    if (!vocab.has(t)) vocab.set(t, vocab.size);
  };
  add('[PAD]');
  add('[UNK]');
  for (const w of WORDS) add(w);
  for (const c of CHARS) add(c);
  for (const c of CHARS) add(`##${c}`);
  const special = options.specialTokens ?? [];
  const addedTokens = special.map((content) => {
    add(content);
    return {
      id: vocab.get(content)!,
      content,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    };
  });
  addedTokens.unshift(
    {
      id: 0,
      content: '[PAD]',
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    },
    {
      id: 1,
      content: '[UNK]',
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    },
  );
  const tokenizer = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: null,
    pre_tokenizer: { type: 'Whitespace' },
    post_processor: null,
    decoder: { type: 'WordPiece', prefix: '##', cleanup: true },
    model: {
      type: 'WordPiece',
      unk_token: '[UNK]',
      continuing_subword_prefix: '##',
      max_input_chars_per_word: 100,
      vocab: Object.fromEntries(vocab),
    },
  };
  const tokenizerConfig: Record<string, unknown> = {
    tokenizer_class: options.tokenizerClass ?? 'PreTrainedTokenizerFast',
    model_max_length: options.modelMaxLength ?? 512,
    pad_token: options.padToken ?? '[PAD]',
    unk_token: '[UNK]',
    clean_up_tokenization_spaces: false,
  };
  if (options.eosToken) tokenizerConfig.eos_token = options.eosToken;
  if (options.chatTemplate) tokenizerConfig.chat_template = options.chatTemplate;
  return { tokenizer, tokenizerConfig, vocab, size: vocab.size };
}
