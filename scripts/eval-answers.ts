/**
 * `npm run eval:answers`: the 500 PubMedQA test questions through a chat assistant answering with
 * `extractive@Builtin` (offline, deterministic), reporting how often the first cited chunk comes from
 * the question's gold abstract. Data is read from ../shared/data/pubmedqa at run time.
 *
 *   npm run eval:answers [-- --limit 100]
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RagFlow } from '../src/index.js';

const DATA = fileURLToPath(new URL('../../shared/data/pubmedqa/', import.meta.url));
const MARKER = /##(\d+)\$\$/;

const jsonl = async <T>(name: string): Promise<T[]> =>
  (await readFile(`${DATA}${name}`, 'utf8'))
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as T);

async function main(): Promise<void> {
  const limitArg = process.argv.indexOf('--limit');
  const limit = limitArg > 0 ? Number(process.argv[limitArg + 1]) : Number.POSITIVE_INFINITY;
  const corpus = await jsonl<{ _id: string; title: string; text: string }>('corpus.jsonl');
  const queries = new Map((await jsonl<{ _id: string; text: string }>('queries.jsonl')).map((q) => [q._id, q.text]));
  const gold = (await readFile(`${DATA}qrels/test.tsv`, 'utf8'))
    .split('\n')
    .slice(1)
    .filter((line) => line.trim())
    .map((line) => line.split('\t') as [string, string, string]);

  const started = performance.now();
  const rag = await RagFlow.open();
  const dataset = await rag.datasets.create({ name: 'pubmedqa' });
  // One document per abstract, named by its PMID, so a cited chunk names its source.
  const docs = await rag.documents.upload(
    dataset.id,
    corpus.map((doc) => ({ name: `${doc._id}.txt`, data: new TextEncoder().encode(`${doc.title}\n\n${doc.text}`) })),
  );
  await rag.documents.parse(
    dataset.id,
    docs.map((d) => d.id),
    { wait: true },
  );
  const indexSeconds = (performance.now() - started) / 1000;
  const chat = await rag.chats.create({ name: 'pubmedqa', datasetIds: [dataset.id], llm: { modelName: 'extractive@Builtin' } });

  let asked = 0;
  let cited = 0;
  let goldFirst = 0;
  const askStarted = performance.now();
  for (const [queryId, pmid] of gold) {
    if (asked >= limit) break;
    const question = queries.get(queryId);
    if (!question) continue;
    // A session per question: the questions are unrelated, so no history should carry over.
    const session = await rag.sessions.create(chat.id);
    const { answer, reference } = await rag.chats.ask(chat.id, session.id, question);
    asked++;
    const first = MARKER.exec(answer);
    if (!first) continue;
    cited++;
    if (reference.chunks[Number(first[1])]?.documentName === `${pmid}.txt`) goldFirst++;
    if (asked % 100 === 0) console.error(`${asked}/${gold.length} questions`);
  }
  const askSeconds = (performance.now() - askStarted) / 1000;
  await rag.close();

  const pct = (n: number) => `${((100 * n) / Math.max(asked, 1)).toFixed(1)}%`;
  console.log('# PubMedQA answers with extractive@Builtin (test split)\n');
  console.log('| questions | answers citing a chunk | first citation from the gold abstract | index s | ask ms/question |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(
    `| ${asked} | ${cited} (${pct(cited)}) | ${goldFirst} (${pct(goldFirst)}) | ${indexSeconds.toFixed(1)} | ${((1000 * askSeconds) / Math.max(asked, 1)).toFixed(1)} |`,
  );
}

await main();
