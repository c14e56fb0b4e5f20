/**
 * A growable byte buffer, reused from one scrape to the next. A family writes each sample here as
 * it is added, so a scrape's text is never held on V8's heap: held there (~9000 line strings for
 * 200 containers) it survived every scavenge of the scrape, which is what made V8 grow its young
 * generation to the full 2 x 16 MB and the daemon's RSS with it.
 */
export class ByteSink {
  private buf: Buffer;
  private used = 0;

  constructor(private readonly initial = 1024) {
    this.buf = Buffer.allocUnsafeSlow(initial);
  }

  get length(): number {
    return this.used;
  }

  /** Empties the sink for the next scrape; a buffer four times bigger than the scrape that just ended used is halved. */
  reset(): void {
    if (this.buf.length > this.initial && this.used * 4 < this.buf.length) this.buf = Buffer.allocUnsafeSlow(Math.max(this.initial, this.buf.length >> 1));
    this.used = 0;
  }

  /** Appends `s` as UTF-8. */
  write(s: string): void {
    // s.length * 3 bounds the UTF-8 size of any JS string (a surrogate pair is 2 units, 4 bytes).
    const need = this.used + s.length * 3;
    if (need > this.buf.length) this.grow(need);
    this.used += this.buf.write(s, this.used, 'utf8');
  }

  /** The bytes written so far, as a view (valid until the next write or reset). */
  view(start = 0, end = this.used): Buffer {
    return this.buf.subarray(start, end);
  }

  private grow(need: number): void {
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const bigger = Buffer.allocUnsafeSlow(size);
    this.buf.copy(bigger, 0, 0, this.used);
    this.buf = bigger;
  }
}
