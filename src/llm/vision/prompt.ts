/**
 * What a vision model is asked when the caller gives no prompt. The description becomes a chunk that
 * people search with words, so it asks for what is written and what the numbers are, not for style.
 */
export const DEFAULT_DESCRIBE_PROMPT = [
  'Describe this image for a search index.',
  'Say what it shows: the kind of image (photo, chart, diagram, table, screenshot, scanned page), the objects, people, places and events in it.',
  'Copy any text you can read, word for word.',
  'If it holds data (a chart, a table, figures), give the numbers with their labels and units.',
  'Answer in plain sentences, without a preamble.',
].join(' ');
