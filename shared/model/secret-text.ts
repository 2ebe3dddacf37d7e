import { REDACTED } from '../util/redact.js';

/**
 * A secret value in memory. It prints, serialises and inspects as `***`, so a draft connection
 * that ends up in a log line or a JSON body cannot leak it; only `reveal()` gives the text, and
 * only the cipher calls it.
 */
export class SecretText {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return `SecretText(${REDACTED})`;
  }
}
