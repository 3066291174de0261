// Chat: a chat assistant over the quickstart documents, asked one question for a whole answer and
// one as a stream. Runs offline: extractive@Builtin is not a language model, it quotes the retrieved
// sentences that best match the question.
//
// To have a real model write the answers, open with provider settings and name the model in the chat:
//
//   const rag = await RagFlow.open({ providers: { ollama: { host: 'http://127.0.0.1:11434' } } });
//   await rag.chats.create({ name: 'docs', datasetIds: [dataset.id], llm: { modelName: 'llama3.2@Ollama' } });
//
// Ollama needs `npm install ollama` and `ollama pull llama3.2`. For an OpenAI-compatible server (OpenAI,
// vLLM, LM Studio, llama.cpp...), use providers: { openai: { baseURL: 'http://localhost:8000/v1', apiKey: '...' } }
// and llm: { modelName: '<model>@OpenAI-API-Compatible' } (or '<model>@OpenAI' for api.openai.com).
//
// In your own project, import from the package instead: import { RagFlow } from 'ragflow-ts';
import { readdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { RagFlow, type ChatReference } from '../../src/index.js';

const docsDir = fileURLToPath(new URL('../quickstart/docs/', import.meta.url));
const files = (await readdir(docsDir)).sort().map((name) => docsDir + name);

const rag = await RagFlow.open({ path: ':memory:' });
const dataset = await rag.datasets.create({ name: 'quickstart' });
const uploaded = await rag.documents.upload(dataset.id, files);
await rag.documents.parse(dataset.id, uploaded.map((doc) => doc.id), { wait: true });

const chat = await rag.chats.create({
  name: 'quickstart',
  datasetIds: [dataset.id],
  llm: { modelName: 'extractive@Builtin' },
});
const session = await rag.sessions.create(chat.id);
console.log(`assistant: ${session.messages[0]?.content}`); // the chat's opener

// Each ` ##i$$` marker in an answer cites reference.chunks[i].
function sources(answer: string, reference: ChatReference): string[] {
  const indices = [...answer.matchAll(/ ##(\d+)\$\$/g)].map((match) => Number(match[1]));
  return [...new Set(indices.map((i) => reference.chunks[i]?.documentName ?? `?${i}`))];
}

// 1. The whole answer at once.
const question = 'What causes a pinch flat?';
const result = await rag.chats.ask(chat.id, session.id, question);
console.log(`\nuser: ${question}\nassistant: ${result.answer}`);
console.log(`cited: ${sources(result.answer, result.reference).join(', ')}`);

// 2. Streamed: each `answer` event holds the whole answer so far; `final` adds the citations.
const streamed = 'Who printed the first book in English?';
console.log(`\nuser: ${streamed}`);
for await (const event of rag.chats.ask(chat.id, session.id, streamed, { stream: true })) {
  if (event.type === 'answer') console.log(`  ... ${event.answer}`);
  else if (event.type === 'final') {
    console.log(`assistant: ${event.answer}`);
    console.log(`cited: ${sources(event.answer, event.reference).join(', ')}`);
  } else console.error(`error: ${event.message}`);
}
await rag.close();
