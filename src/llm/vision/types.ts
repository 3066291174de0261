/** A model that looks at an image and says what it shows (RAGFlow's image2text, for the `picture` method). */
export interface VisionModel {
  /** Canonical `model@provider`. */
  readonly id: string;
  describe(image: Uint8Array, options: DescribeImageOptions): Promise<string>;
}

export interface DescribeImageOptions {
  /** e.g. 'image/png'. */
  mimeType: string;
  /** What to ask; providers have a default that asks for a description useful for search. */
  prompt?: string;
  signal?: AbortSignal;
}
