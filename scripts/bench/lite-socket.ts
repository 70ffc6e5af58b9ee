/**
 * A light listener: a bare RFC 6455 WebSocket client on a TCP socket, speaking just enough engine.io v4 /
 * socket.io v5 to connect to the default namespace, emit with an ack, answer pings and receive events.
 * Thousands of socket.io-client instances in one generator process would spend its CPU on the client
 * library rather than on measuring the server; this keeps the generator's cost per received message low.
 * No binary packets, no namespaces, no reconnection, no permessage-deflate (socket.io's default is off).
 * The integration tests use it too, for what socket.io-client will not do: send malformed packets and
 * stop reading.
 */
import { randomBytes } from "node:crypto";
import http from "node:http";
import type { Duplex } from "node:stream";

type EventHandler = (event: string, args: unknown[]) => void;
/** Sees each whole text message as raw bytes first; returns true when it consumed it (no JSON decoding). */
type RawHandler = (message: Buffer) => boolean;

export class LiteSocket {
  private socket: Duplex | null = null;
  private buffer: Buffer = Buffer.alloc(0);
  private fragments: Buffer[] = [];
  private nextAck = 0;
  private acks = new Map<number, (args: unknown[]) => void>();
  private onConnect: { resolve: () => void; reject: (e: Error) => void } | null = null;
  closed = false;

  constructor(
    private readonly url: string,
    private readonly headers: Record<string, string>,
    private readonly onEvent: EventHandler,
    private readonly onRaw?: RawHandler,
  ) {}

  /** Opens the WebSocket and the socket.io default namespace. */
  connect(timeoutMs = 20_000): Promise<void> {
    const u = new URL(this.url);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.close();
        reject(new Error("connect timed out"));
      }, timeoutMs);
      const done = (e?: Error) => {
        clearTimeout(timer);
        if (e) reject(e);
        else resolve();
      };
      this.onConnect = { resolve: () => done(), reject: done };
      const req = http.request({
        host: u.hostname,
        port: u.port,
        path: "/socket.io/?EIO=4&transport=websocket",
        agent: false,
        headers: { ...this.headers, Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": randomBytes(16).toString("base64") },
      });
      req.on("response", (res) => {
        res.resume();
        done(new Error(`the server answered ${res.statusCode} instead of switching protocols`));
      });
      req.on("error", (e) => done(e));
      req.on("upgrade", (_res, socket, head) => {
        this.socket = socket;
        (socket as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true);
        socket.on("data", (chunk: Buffer) => this.receive(chunk));
        socket.on("error", () => this.close());
        socket.on("close", () => this.close());
        if (head.length) this.receive(head);
      });
      req.end();
    });
  }

  /** Emits an event with an ack callback (socket.io `42<id>[event, data]`), without a timer: the caller bounds the wait. */
  emit(event: string, data: unknown, ack: (response: unknown) => void) {
    const id = this.nextAck++;
    this.acks.set(id, (args) => ack(args[0]));
    this.sendText(`42${id}${JSON.stringify([event, data])}`);
  }

  /** Emits an event with an ack (socket.io `42<id>[event, data]`) and resolves with the ack's arguments. */
  emitWithAck(event: string, data: unknown, timeoutMs = 30_000): Promise<unknown> {
    const id = this.nextAck++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.acks.delete(id);
        reject(new Error(`no ack for ${event}`));
      }, timeoutMs);
      this.acks.set(id, (args) => {
        clearTimeout(timer);
        resolve(args[0]);
      });
      this.sendText(`42${id}${JSON.stringify([event, data])}`);
    });
  }

  /** Sends one raw engine.io packet as a text frame, well-formed or not (tests send malformed ones). */
  sendRaw(text: string) {
    this.sendText(text);
  }

  /** Stops reading from the connection: a client that does not read what it is sent (tests). */
  pauseReading() {
    this.socket?.pause();
  }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.onConnect?.reject(new Error("closed"));
    this.onConnect = null;
    this.socket?.destroy();
  }

  private receive(chunk: Buffer) {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const b = this.buffer;
      if (b.length < 2) return;
      const fin = (b[0] & 0x80) !== 0;
      const opcode = b[0] & 0x0f;
      let length = b[1] & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (b.length < 4) return;
        length = b.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (b.length < 10) return;
        length = Number(b.readBigUInt64BE(2));
        offset = 10;
      }
      const masked = (b[1] & 0x80) !== 0;
      const maskAt = offset;
      if (masked) offset += 4;
      if (b.length < offset + length) return;
      let payload = b.subarray(offset, offset + length);
      if (masked) {
        payload = Buffer.from(payload);
        for (let i = 0; i < payload.length; i++) payload[i] ^= b[maskAt + (i & 3)];
      }
      this.buffer = b.subarray(offset + length);
      if (opcode === 0x8) return this.close();
      if (opcode === 0x9) this.sendFrame(0xa, payload);
      else if (opcode === 0x1 || opcode === 0x0) {
        this.fragments.push(payload);
        if (fin) {
          if (this.fragments.length === 1 && this.onRaw?.(payload)) {
            this.fragments = [];
            continue;
          }
          const text = (this.fragments.length === 1 ? this.fragments[0] : Buffer.concat(this.fragments)).toString("utf8");
          this.fragments = [];
          this.onPacket(text);
        }
      }
    }
  }

  private onPacket(text: string) {
    const type = text[0];
    if (type === "2") return this.sendText("3"); // engine.io ping -> pong
    if (type === "1") return this.close();
    if (type === "0") return this.sendText("40"); // engine.io open -> socket.io CONNECT to "/"
    if (type !== "4") return;
    const kind = text[1];
    if (kind === "0") {
      // Engine.io is open: the server's CONNECT answer to ours ("40{sid}").
      this.onConnect?.resolve();
      this.onConnect = null;
      return;
    }
    if (kind === "4") {
      this.onConnect?.reject(new Error(`refused: ${text.slice(2)}`));
      this.onConnect = null;
      return this.close();
    }
    if (kind === "1") return this.close();
    let i = 2;
    while (i < text.length && text.charCodeAt(i) >= 48 && text.charCodeAt(i) <= 57) i++;
    const id = i > 2 ? Number(text.slice(2, i)) : null;
    const args = JSON.parse(text.slice(i)) as unknown[];
    if (kind === "2") this.onEvent(String(args[0]), args.slice(1));
    else if (kind === "3" && id !== null) {
      const ack = this.acks.get(id);
      this.acks.delete(id);
      ack?.(args);
    }
  }

  private sendText(text: string) {
    this.sendFrame(0x1, Buffer.from(text, "utf8"));
  }

  /** Client frames are masked (RFC 6455 section 5.3). */
  private sendFrame(opcode: number, payload: Buffer) {
    if (!this.socket || this.closed) return;
    const length = payload.length;
    const header = length < 126 ? Buffer.alloc(6) : length < 65536 ? Buffer.alloc(8) : Buffer.alloc(14);
    header[0] = 0x80 | opcode;
    let offset = 2;
    if (length < 126) header[1] = 0x80 | length;
    else if (length < 65536) {
      header[1] = 0x80 | 126;
      header.writeUInt16BE(length, 2);
      offset = 4;
    } else {
      header[1] = 0x80 | 127;
      header.writeBigUInt64BE(BigInt(length), 2);
      offset = 10;
    }
    const mask = randomBytes(4);
    mask.copy(header, offset);
    const body = Buffer.allocUnsafe(length);
    for (let i = 0; i < length; i++) body[i] = payload[i] ^ mask[i & 3];
    this.socket.write(Buffer.concat([header, body]));
  }
}
