/** Keeps only the last `maxBytes` of a child's stderr, so a chatty ffmpeg cannot grow memory. */
export class StderrTail {
  private text = '';

  constructor(private readonly maxBytes = 4000) {}

  push(chunk: Buffer | string): void {
    this.text += chunk.toString();
    if (this.text.length > this.maxBytes * 2) this.text = this.text.slice(-this.maxBytes);
  }

  toString(): string {
    return this.text.slice(-this.maxBytes).trim();
  }
}
