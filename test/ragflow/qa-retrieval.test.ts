import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RagFlow } from '../../src/ragflow.js';
import { openMemory, text } from './helpers.js';

/** A visitor FAQ: [question, answer, the same question as a visitor might word it]. */
const FAQ: readonly [string, string, string][] = [
  ['How do I get from Lisbon airport to the city centre?', 'Take the red metro line and change at Alameda, or the Aerobus to Cais do Sodré.', "What's the best way to reach downtown Lisbon after landing at the airport?"],
  ['Is tap water safe to drink in Lisbon?', 'Yes, the public water supply is treated and safe everywhere in the city.', 'Should I buy bottled water in Lisbon or is the tap water fine?'],
  ['What is the Viva Viagem card?', 'A rechargeable paper card for metro, bus, tram, ferry and suburban train fares.', 'Can you explain what the Viva Viagem transport card is for?'],
  ['Which tram goes past the main sights?', 'Tram 28 runs from Martim Moniz through Graça, Alfama, Baixa and Estrela.', 'What tram route should I ride to see the major attractions?'],
  ['When is the best time of year to visit Lisbon?', 'April to June and September to October: warm, sunny and less crowded.', 'What month should we plan our Lisbon trip for to get the nicest weather?'],
  ['Do shops and restaurants accept credit cards?', 'Most do; small cafés and kiosks sometimes want cash for small amounts.', 'Can I pay by card in stores and restaurants, or will I need cash?'],
  ['How much should I tip at a restaurant?', 'Tipping is optional; rounding up or leaving 5 to 10 percent is generous.', 'What is a normal tip to leave the waiters when eating out?'],
  ['Are museums closed on Mondays?', 'Most national museums and monuments close on Mondays and public holidays.', 'Can I still go to the museums on a Monday?'],
  ['How do I get to Sintra by train?', 'Trains leave Rossio station every 20 minutes; the ride takes about 40 minutes.', 'Which train should I catch for a day trip out to Sintra?'],
  ['Where can I hear live fado music?', 'Fado houses in Alfama and Bairro Alto have shows every evening.', 'Which places put on fado performances in the evening?'],
  ['Is Lisbon safe for tourists at night?', 'Generally yes; watch for pickpockets in busy areas and on tram 28.', 'Is it dangerous to walk around Lisbon after dark?'],
  ['What is a pastel de nata and where can I buy one?', 'A custard tart in flaky pastry; Pastéis de Belém and Manteigaria are famous.', 'Where should I go to try the famous custard tarts, pastéis de nata?'],
  ['How steep are the hills in Lisbon?', 'Very steep in places; wear comfortable shoes and use the trams and lifts.', 'Is Lisbon very hilly to walk around?'],
  ['Do I need to book the Belém Tower in advance?', 'Booking online is recommended in summer to skip the long queue.', 'Should I reserve tickets for Belém Tower before I go?'],
  ['What is the tourist tax in Lisbon hotels?', 'Four euros per person per night, for up to seven nights.', 'How much city tax do hotels charge for each night?'],
  ['Which beaches can I reach by train from Lisbon?', 'The Cascais line stops at Carcavelos, Estoril and Cascais beaches.', 'What beaches are accessible by rail from the city?'],
  ['How does the Lisboa Card work?', 'It gives free public transport and free or reduced entry to many sights for 24 to 72 hours.', 'What do I get with the Lisboa Card, and is it worth buying?'],
  ['Can I use Uber in Lisbon?', 'Yes, Uber, Bolt and FreeNow all operate in the city.', 'Are ride-hailing apps like Uber available in the city?'],
  ['What language do people speak in Lisbon?', 'Portuguese; many people, especially younger ones, also speak good English.', 'Do people in Lisbon speak English, or only Portuguese?'],
  ['Where is the best viewpoint in Lisbon?', 'Miradouro da Senhora do Monte and Miradouro de Santa Catarina have the widest views.', 'Which miradouro gives the nicest view over the city?'],
  ['How do I buy a ticket for the ferry to Cacilhas?', 'Load a Viva Viagem card at the Cais do Sodré terminal machines.', 'Where do I get ferry tickets for crossing over to Cacilhas?'],
  ['Are the Santa Justa lift queues long?', 'Often 30 to 60 minutes in the afternoon; go early or walk up to the top platform.', 'How long will I have to wait in line for the Santa Justa elevator?'],
  ['What time do people eat dinner in Lisbon?', 'Usually from 8 pm; many kitchens close around 11 pm.', 'At what time do locals usually have dinner?'],
  ['Is the Oceanarium worth visiting with kids?', 'Yes, it is one of the largest aquariums in Europe and very child friendly.', 'Would children enjoy a trip to the Oceanarium?'],
  ['How do I get to Belém from the city centre?', 'Tram 15 from Praça da Figueira or the train from Cais do Sodré.', "What's the easiest way to travel from downtown to Belém?"],
  ['Where can I do laundry in Lisbon?', 'Self-service laundromats are common in every neighbourhood.', 'Are there laundromats where I can wash my clothes?'],
  ['Do I need a plug adapter in Portugal?', 'Portugal uses type F sockets at 230 volts; bring a European adapter.', 'Will I need an adapter for the electrical sockets in Portugal?'],
  ['What are the opening hours of the Jerónimos Monastery?', 'Tuesday to Sunday, 9:30 to 18:00; last entry 30 minutes before closing.', 'When does the Jerónimos Monastery open and close?'],
  ['Can I swim in the river Tagus?', 'It is not recommended in the city; use the ocean beaches instead.', 'Is swimming in the Tagus allowed?'],
  ['What is the emergency phone number in Portugal?', 'Dial 112 for police, ambulance and fire.', 'Which number should I call in an emergency while in Portugal?'],
  ['Are there free walking tours in Lisbon?', 'Several companies run tip-based tours that start at Praça Luís de Camões.', 'Does anyone offer walking tours of the city for free?'],
  ['How much does a taxi from the airport cost?', 'About 15 to 20 euros to the centre, plus a luggage supplement.', "What's the typical taxi fare from the airport?"],
  ['Where is the LX Factory and what is there?', 'A former industrial complex in Alcântara with shops, bars and a Sunday market.', 'What can I find at LX Factory and how do I get there?'],
  ['Is Lisbon wheelchair accessible?', 'Partly; the metro is mostly accessible but the old quarters have steep cobbled streets.', 'How easy is it to get around Lisbon in a wheelchair?'],
  ['What should I wear when visiting churches?', 'Cover your shoulders and knees; hats come off inside.', 'Is there a dress code for going into churches?'],
  ['When does the Feira da Ladra flea market take place?', 'Every Tuesday and Saturday from morning until mid-afternoon at Campo de Santa Clara.', 'Which days is the Feira da Ladra market held?'],
  ['Can I store my luggage after hotel checkout?', 'Most hotels keep bags for free; there are also lockers at Rossio and Santa Apolónia.', 'Is there somewhere to store luggage once I have checked out?'],
  ['How do I get to Cascais?', 'Take the train from Cais do Sodré; it runs along the coast in about 40 minutes.', "What's the best way to travel out to Cascais for the day?"],
  ['Do I need a reservation for popular restaurants?', 'For dinner at well-known places, book a day or two ahead.', 'Do the popular restaurants require booking ahead?'],
  ['What souvenirs are typical of Lisbon?', 'Hand-painted tiles, canned sardines, cork goods and ginjinha liqueur.', 'Which typical souvenirs should I bring home?'],
  ['Is there a metro line to the airport?', 'Yes, the red line ends at the airport station.', 'Can I take the metro straight to the airport?'],
  ['How do I pay for public transport with a contactless card?', 'Tap your bank card on the readers on buses, trams and metro gates.', 'Is contactless payment accepted on public transport?'],
  ['Where can I see azulejo tiles?', 'The National Tile Museum, and on facades all over Alfama and Mouraria.', 'Which museum shows traditional azulejo tilework?'],
  ['What are the Santo António festivities?', "June street parties with grilled sardines, music and the city's saint day on the 13th.", 'What happens during the Santo António celebrations in June?'],
  ['Can I visit Lisbon on a budget?', 'Yes: free viewpoints, cheap tascas and a 24-hour transport pass keep costs low.', 'How can I see Lisbon on a tight budget?'],
  ['How do I rent an electric scooter?', 'Use the Lime or Bolt app, scan the code and ride; parking zones are shown in the app.', 'Are there e-scooters I can hire through an app?'],
  ['Where is the best place to watch the sunset?', 'Miradouro de Santa Catarina and the riverside at Cais das Colunas.', 'Which spot has the nicest sunset views?'],
  ['Is it easy to find vegetarian food?', 'Yes, most neighbourhoods have vegetarian and vegan restaurants.', 'Will a vegetarian have trouble finding meals?'],
  ['Do hotels in Lisbon have air conditioning?', 'Most modern hotels do; some older guesthouses only have fans.', 'Will my hotel room be air-conditioned in summer?'],
  ['How early should I arrive at the airport for my flight?', 'Two hours before a European flight, three before an intercontinental one.', 'When should I get to the airport before my flight leaves?'],
];

async function faqWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Visitor FAQ');
  sheet.addRow(['Question', 'Answer']);
  for (const [question, answer] of FAQ) sheet.addRow([question, answer]);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

const csvCell = (cell: string): string => `"${cell.replace(/"/g, '""')}"`;
const faqCsv = (): Uint8Array => text(['Question,Answer', ...FAQ.map(([q, a]) => `${csvCell(q)},${csvCell(a)}`)].join('\n'));

let rag: RagFlow;
beforeAll(async () => {
  rag = await openMemory();
});
afterAll(async () => {
  await rag.close();
});

describe('Q&A retrieval check (issue 6): each reworded question finds its own row first', () => {
  it('has 50 distinct questions and 50 rewordings that differ from them', () => {
    expect(FAQ).toHaveLength(50);
    expect(new Set(FAQ.map(([q]) => q)).size).toBe(50);
    for (const [question, , reworded] of FAQ) expect(reworded.toLowerCase()).not.toBe(question.toLowerCase());
  });

  it.each([
    ['visitor-faq.xlsx', faqWorkbook],
    ['visitor-faq.csv', async () => faqCsv()],
  ])('%s: >= 45 of 50 with hash@Builtin and the default threshold (issue 6 asks 45)', async (name, build) => {
    const dataset = await rag.datasets.create({ name: `qa ${name}`, chunkMethod: 'qa' });
    expect(dataset.embeddingModel).toBe('hash@Builtin');
    const [doc] = await rag.documents.upload(dataset.id, { name, data: await build() });
    const [parsed] = await rag.documents.parse(dataset.id, [doc!.id], { wait: true });
    expect(parsed?.run, parsed?.progressMsg).toBe('DONE');
    expect(parsed?.chunkCount).toBe(50);

    const misses: string[] = [];
    for (const [i, [question, answer, reworded]] of FAQ.entries()) {
      const { chunks } = await rag.retrieve({ datasetIds: [dataset.id], question: reworded });
      const top = chunks[0];
      if (top?.content === `Question: ${question}\tAnswer: ${answer}`) {
        // Row 1 holds the titles.
        expect(top.source.rows).toEqual([i + 2, i + 2]);
      } else {
        misses.push(`"${reworded}" -> ${top ? `"${top.content.split('\t')[0]}"` : 'nothing'}`);
      }
    }
    // Only questions are indexed: a word that appears in an answer alone finds nothing.
    expect((await rag.retrieve({ datasetIds: [dataset.id], question: 'Aerobus' })).chunks).toEqual([]);

    const hits = FAQ.length - misses.length;
    console.info(`Q&A retrieval check (${name}): ${hits}/50 first; misses:\n  ${misses.join('\n  ')}`);
    // Issue 6 asks for 45. hash@Builtin is lexical: it reaches 45 here (46 without the threshold), with
    // term weights smoothed towards general English word frequencies ("see" is common, "tram" is not)
    // and compounds split at indexing ("viewpoint" is found by "view"); before those, 42. The five
    // misses share no useful word with their question ("nicest weather" vs "best time of year", "after
    // dark" vs "at night", "hilly" vs "hills", "laundromats" vs "laundry", "reach downtown" vs "get to
    // the city centre"): see docs/parsing.md, "Q&A retrieval". The floor catches regressions in the qa
    // method and the scorer.
    expect(hits, misses.join('\n')).toBeGreaterThanOrEqual(45);
  });
});
