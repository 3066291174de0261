// Quickstart: a knowledge base of four documents (Markdown, HTML, text, PDF), parsed into chunks and
// searched with two questions. Runs offline: the default embedding model, hash@Builtin, needs no download.
// In your own project, import from the package instead: import { RagFlow } from 'ragflow-ts';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RagFlow } from '../../src/index.js';

const docsDir = fileURLToPath(new URL('./docs/', import.meta.url));
const files = (await readdir(docsDir)).sort().map((name) => docsDir + name);

const rag = await RagFlow.open({ path: ':memory:' }); // or a file path, to keep the knowledge base
const dataset = await rag.datasets.create({ name: 'quickstart' });
const uploaded = await rag.documents.upload(dataset.id, files);

// Parsing runs in the background; `wait: true` resolves once every document is DONE, FAIL or CANCEL.
const parsed = await rag.documents.parse(dataset.id, uploaded.map((doc) => doc.id), {
  wait: true,
  onProgress: (doc) => {
    const percent = `${Math.round(doc.progress * 100)}%`.padStart(4);
    console.log(`  ${doc.name.padEnd(20)} ${percent}  ${doc.progressMsg.split('\n').at(-1)}`);
  },
});
for (const doc of parsed) console.log(`${doc.name}: ${doc.run}, ${doc.chunkCount} chunks`);

for (const question of ['How do I repair a punctured inner tube?', 'Who printed the first book in English?']) {
  const { chunks, total } = await rag.retrieve({ datasetIds: [dataset.id], question, pageSize: 3 });
  console.log(`\n${question}  (${total} chunks above the threshold)`);
  for (const chunk of chunks) {
    const text = chunk.content.replace(/\s+/g, ' ').slice(0, 160);
    console.log(`  ${chunk.similarity.toFixed(3)}  ${chunk.documentName.padEnd(20)} ${text}`);
  }
}
await rag.close();
