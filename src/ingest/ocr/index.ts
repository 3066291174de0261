export { recogniseImage, shutdownOcr, type OcrLine } from './engine.js';
export { ocrParagraphs, type OcrParagraph } from './paragraphs.js';
export { ocrUnavailableReason, resolveOcrSettings, type OcrOptions } from './settings.js';
export { isTiff, TiffPages } from './tiff.js';
export { OcrUnavailableError } from './tesseract.js';
