import { describe, it, expect } from 'vitest';
import { ommlToText, replaceEquations } from '../../src/ingest/docx/omml.js';
import { styleNumbering } from '../../src/ingest/docx/numbering.js';

describe('Office Math to text', () => {
  const math = (body: string): string => `<m:oMath>${body}</m:oMath>`;
  const r = (t: string): string => `<m:r><m:t>${t}</m:t></m:r>`;

  it('linearises fractions, scripts, n-ary operators, delimiters and functions', () => {
    expect(ommlToText(math(`${r('E=m')}<m:sSup><m:e>${r('c')}</m:e><m:sup>${r('2')}</m:sup></m:sSup>`))).toBe('E=mc^2');
    expect(ommlToText(math(`<m:f><m:num>${r('a+b')}</m:num><m:den>${r('2')}</m:den></m:f>`))).toBe('(a+b)/2');
    expect(
      ommlToText(
        math(
          `<m:nary><m:naryPr><m:chr m:val="∑"/></m:naryPr><m:sub>${r('k=0')}</m:sub><m:sup>${r('n')}</m:sup><m:e><m:sSub><m:e>${r('x')}</m:e><m:sub>${r('k')}</m:sub></m:sSub></m:e></m:nary>`,
        ),
      ),
    ).toBe('∑_(k=0)^n x_k');
    expect(ommlToText(math(`<m:d><m:dPr><m:begChr m:val="["/><m:endChr m:val="]"/></m:dPr><m:e>${r('x')}</m:e><m:e>${r('y')}</m:e></m:d>`))).toBe('[x|y]');
    expect(ommlToText(math(`${r('2')}<m:func><m:fName>${r('sin')}</m:fName><m:e>${r('x')}</m:e></m:func>`))).toBe('2 sin x');
    expect(ommlToText(math(`<m:rad><m:deg/><m:e>${r('x&lt;1')}</m:e></m:rad>`))).toBe('√(x<1)');
  });

  it('replaces equations in a document part with text runs (escaped)', () => {
    const xml = `<w:p><w:r><w:t>Area: </w:t></w:r>${math(r('a&lt;b'))}</w:p><w:p><m:oMathPara>${math(r('x'))}</m:oMathPara></w:p>`;
    expect(replaceEquations(xml)).toBe(
      '<w:p><w:r><w:t>Area: </w:t></w:r><w:r><w:t xml:space="preserve"> a&lt;b </w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve"> x </w:t></w:r></w:p>',
    );
  });
});

describe('style numbering', () => {
  it('finds numbering set in a style and numbering levels that name a style, with their formats', () => {
    const styles =
      '<w:styles><w:style w:type="paragraph" w:styleId="Heading2"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="1"/></w:numPr></w:pPr></w:style>' +
      '<w:style w:type="paragraph" w:styleId="Plain"><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr></w:pPr></w:style></w:styles>';
    const numbering =
      '<w:numbering><w:abstractNum w:abstractNumId="4"><w:lvl w:ilvl="0"><w:numFmt w:val="decimal"/><w:pStyle w:val="Heading1"/></w:lvl>' +
      '<w:lvl w:ilvl="1"><w:numFmt w:val="lowerLetter"/></w:lvl></w:abstractNum>' +
      '<w:abstractNum w:abstractNumId="8"><w:lvl w:ilvl="0"><w:numFmt w:val="none"/><w:pStyle w:val="Hidden"/></w:lvl></w:abstractNum>' +
      '<w:num w:numId="1"><w:abstractNumId w:val="4"/></w:num></w:numbering>';
    expect([...styleNumbering(styles, numbering)]).toEqual([
      ['Heading1', { level: 0, format: 'decimal' }],
      ['Hidden', { level: 0, format: 'none' }],
      ['Heading2', { level: 1, format: 'lowerLetter' }],
    ]);
  });
});
