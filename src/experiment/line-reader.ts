/** Reading a file line by line in chunks, so that large CSVs are read with flat memory (merge, sweep summaries). */
import { closeSync, openSync, readSync } from 'node:fs';

export class LineReader {
  private fd: number;
  private buf = Buffer.alloc(1 << 16);
  private rest = '';
  private lines: string[] = [];
  private eof = false;
  constructor(file: string) {
    this.fd = openSync(file, 'r');
  }
  peek(): string | undefined {
    while (this.lines.length === 0 && !this.eof) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, null);
      if (n === 0) {
        this.eof = true;
        if (this.rest) this.lines.push(this.rest);
        this.rest = '';
        break;
      }
      const parts = (this.rest + this.buf.toString('utf8', 0, n)).split('\n');
      this.rest = parts.pop()!;
      this.lines.push(...parts);
    }
    return this.lines[0];
  }
  next(): string | undefined {
    const l = this.peek();
    this.lines.shift();
    return l;
  }
  close(): void {
    closeSync(this.fd);
  }
}
