/**
 * Run as a separate process by crash.test.ts: starts re-parsing a document and kills itself with
 * SIGKILL in the middle of embedding, the way a crash or an OOM kill would end a server.
 */
import { RagFlow } from '../../src/ragflow.js';
import { ControlledModel } from './test-models.js';

const [path, datasetId, documentId] = process.argv.slice(2) as [string, string, string];
const model = new ControlledModel();
model.delayMs = 200;
const rag = await RagFlow.open({ path, embeddingModels: [model] });
await rag.documents.parse(datasetId, [documentId], {
  onProgress: (doc) => {
    if (doc.progressMsg.includes('Start to embedding')) setTimeout(() => process.kill(process.pid, 'SIGKILL'), 100);
  },
});
await new Promise((resolve) => setTimeout(resolve, 30_000));
