/** A response body read as JSON when it is JSON, else as its text. */
export interface ParsedBody {
  /** True when the text was empty or valid JSON. */
  isJson: boolean;
  /** The parsed JSON, the raw text when it did not parse, or undefined when empty. */
  value: unknown;
}

/** Parses a raw response body without ever throwing. */
export function parseBody(text: string): ParsedBody {
  if (text.trim() === '') return { isJson: true, value: undefined };
  try {
    return { isJson: true, value: JSON.parse(text) };
  } catch {
    return { isJson: false, value: text };
  }
}
