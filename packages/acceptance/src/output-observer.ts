import {
  type AirbyteMessage,
  type ConnectorCommand,
  createProtocolValidator,
  type ProtocolValidator,
} from "@weir/protocol";
import type { MalformedLine } from "./connector-output.js";

const MAX_KEPT = 20;

/**
 * Watches every message the tested connector prints, across all its runs: checks each against
 * the official protocol schema and looks for the configs' secret values outside of records.
 * Example: `observer.observe(message, "read"); observer.problems // ["read: message 3 (RECORD): …"]`
 */
export class OutputObserver {
  /** Schema problems, the first few. */
  readonly problems: string[] = [];
  /** Where a secret showed up (never the secret itself), the first few. */
  readonly leaks: string[] = [];
  messagesChecked = 0;
  problemCount = 0;
  leakCount = 0;
  #secrets: readonly string[] = [];
  #validator: ProtocolValidator | undefined;

  /** The secret values to look for from now on. */
  watchSecrets(secrets: readonly string[]): void {
    this.#secrets = secrets;
  }

  get watchesSecrets(): boolean {
    return this.#secrets.length > 0;
  }

  /** Lines that claimed a protocol type but could not be read as messages. */
  noteMalformed(command: ConnectorCommand, lines: readonly MalformedLine[]): void {
    for (const line of lines) {
      this.problemCount++;
      if (this.problems.length < MAX_KEPT) {
        const where = line.onStderr ? "on stderr" : "on stdout";
        this.problems.push(
          `${command}: a ${line.type} line ${where} that is not a valid message: ${line.problem}`,
        );
      }
    }
  }

  observe(message: AirbyteMessage, command: ConnectorCommand): void {
    this.#validator ??= createProtocolValidator();
    this.messagesChecked++;
    const errors = this.#validator(message);
    if (errors.length > 0) {
      this.problemCount++;
      if (this.problems.length < MAX_KEPT) {
        this.problems.push(`${command}: a ${message.type} message: ${errors.slice(0, 2).join("; ")}`);
      }
    }
    // Records carry the data the user asked for; a secret in them is not a leak of the config.
    if (message.type === "RECORD" || this.#secrets.length === 0) return;
    const text = JSON.stringify(message);
    if (this.#secrets.some((secret) => text.includes(secret))) {
      this.leakCount++;
      if (this.leaks.length < MAX_KEPT) this.leaks.push(`${command}: a ${message.type} message`);
    }
  }
}
