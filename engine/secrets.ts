// Secrets in state and stack config, encrypted as the Pulumi CLI's local backend does with its passphrase secrets
// manager, so that what the local engine writes is as safe (and as readable to the real CLI's format) as `pulumi up`.
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { isPlainObject, isSecret, type JsonValue, SECRET_SIG, SIG_KEY } from "./properties";

/** What the real CLI says when no passphrase is given (pkg/secrets/passphrase/manager.go `readPassphrase`). */
const MISSING_PASSPHRASE =
  "passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables";

/** The secrets-provider record stored with the state, as in a Pulumi checkpoint's `secrets_providers`. */
export interface SecretsProviderRecord {
  type: "passphrase";
  state: { salt: string };
}

/**
 * AES-256-GCM with a key derived by PBKDF2-SHA256 (1,000,000 iterations) from the passphrase and the stack's salt;
 * values are `v1:<base64 nonce>:<base64 ciphertext+tag>` (sdk/go/common/resource/config/crypt.go
 * `NewSymmetricCrypterFromPassphrase`, `symmetricCrypter.EncryptValue`/`DecryptValue`).
 */
export class Crypter {
  constructor(private readonly key: Buffer) {}

  encrypt(plaintext: string): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.key, nonce);
    const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
  }

  decrypt(value: string): string {
    const parts = value.split(":");
    if (parts.length !== 3 || parts[0] !== "v1") throw new Error("bad value");
    const nonce = Buffer.from(parts[1]!, "base64");
    const sealed = Buffer.from(parts[2]!, "base64");
    const decipher = createDecipheriv("aes-256-gcm", this.key, nonce);
    decipher.setAuthTag(sealed.subarray(sealed.length - 16));
    return Buffer.concat([
      decipher.update(sealed.subarray(0, sealed.length - 16)),
      decipher.final(),
    ]).toString("utf8");
  }
}

/** The derivation costs about half a second: one key per passphrase and salt per process, as the CLI caches it. */
const derivedKeys = new Map<string, Crypter>();

function crypterFor(passphrase: string, state: string): Crypter {
  const cacheKey = `${state}\u0000${passphrase}`;
  const cached = derivedKeys.get(cacheKey);
  if (cached) return cached;
  const [version, salt] = state.split(":");
  if (version !== "v1" || salt === undefined) throw new Error(`malformed encryption salt "${state}"`);
  const crypter = new Crypter(pbkdf2Sync(passphrase, Buffer.from(salt, "base64"), 1_000_000, 32, "sha256"));
  // The salt carries "pulumi" encrypted with the key: a wrong passphrase is told apart from a damaged value.
  let check: string | undefined;
  try {
    check = crypter.decrypt(state.slice(state.indexOf(":", state.indexOf(":") + 1) + 1));
  } catch {
    check = undefined;
  }
  if (check !== "pulumi") throw new Error("incorrect passphrase");
  derivedKeys.set(cacheKey, crypter);
  return crypter;
}

/** A new salt state: `v1:<base64 8-byte salt>:<"pulumi" encrypted>` (manager.go `NewPassphraseSecretsManager`). */
function newSaltState(passphrase: string): string {
  const salt = randomBytes(8);
  const crypter = new Crypter(pbkdf2Sync(passphrase, salt, 1_000_000, 32, "sha256"));
  const state = `v1:${salt.toString("base64")}:${crypter.encrypt("pulumi")}`;
  derivedKeys.set(`${state}\u0000${passphrase}`, crypter);
  return state;
}

export interface SecretsManagerOptions {
  /** `Pulumi.<stack>.yaml`, where the salt lives (`encryptionsalt`), created when missing. */
  stackConfigFile: string;
  /** The salt found in the stack config, if any. */
  configSalt?: string;
  /** The environment holding PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE. */
  env: Record<string, string | undefined>;
}

/**
 * The stack's passphrase secrets manager. The passphrase is only asked for when something is encrypted or decrypted,
 * so stacks without secrets run without one; an empty passphrase is allowed, as in the CLI.
 */
export class PassphraseSecretsManager {
  private crypter: Crypter | undefined;
  private salt: string | undefined;

  constructor(private readonly options: SecretsManagerOptions) {
    this.salt = options.configSalt;
  }

  /**
   * The manager that decrypts a state written with `record`: a checkpoint carries its own secrets-provider state, so
   * it stays readable when the stack config's salt changed; a salt only the state knows is then also the one new
   * secrets are encrypted with (the stack config file was rewritten without it).
   */
  forState(record: SecretsProviderRecord | undefined): PassphraseSecretsManager {
    const salt = record?.state.salt;
    if (!salt) return this;
    if (this.salt === undefined) this.salt = salt;
    return salt === this.salt ? this : new PassphraseSecretsManager({ ...this.options, configSalt: salt });
  }

  record(): SecretsProviderRecord | undefined {
    return this.salt === undefined ? undefined : { type: "passphrase", state: { salt: this.salt } };
  }

  private passphrase(): string {
    const { env } = this.options;
    const phrase = env.PULUMI_CONFIG_PASSPHRASE;
    if (phrase !== undefined) return phrase;
    const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
    if (file) {
      try {
        return fs.readFileSync(file, "utf8").trim();
      } catch (error) {
        throw new Error(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${(error as Error).message}`);
      }
    }
    throw new Error(MISSING_PASSPHRASE);
  }

  private active(): Crypter {
    if (this.crypter) return this.crypter;
    const phrase = this.passphrase();
    if (this.salt === undefined) {
      this.salt = newSaltState(phrase);
      writeEncryptionSalt(this.options.stackConfigFile, this.salt);
    }
    this.crypter = crypterFor(phrase, this.salt);
    return this.crypter;
  }

  encrypt(plaintext: string): string {
    return this.active().encrypt(plaintext);
  }

  decrypt(ciphertext: string): string {
    return this.active().decrypt(ciphertext);
  }
}

/**
 * Adds `encryptionsalt` to the stack config file without disturbing the rest: appended as a YAML line, or merged
 * into a file written as JSON (which is YAML too).
 */
function writeEncryptionSalt(file: string, salt: string): void {
  const text = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
  if (text.trimStart().startsWith("{")) {
    const document = JSON.parse(text) as Record<string, unknown>;
    fs.writeFileSync(file, `${JSON.stringify({ ...document, encryptionsalt: salt }, null, 2)}\n`);
    return;
  }
  const separator = text === "" || text.endsWith("\n") ? "" : "\n";
  fs.writeFileSync(file, `${text}${separator}encryptionsalt: ${salt}\n`);
}

/** The checkpoint form of a secret: `{ <sig>: <secret sig>, ciphertext }`, the value JSON-encoded and encrypted. */
export function encryptSecrets(value: JsonValue, secrets: PassphraseSecretsManager): JsonValue {
  if (isSecret(value)) {
    return { [SIG_KEY]: SECRET_SIG, ciphertext: secrets.encrypt(JSON.stringify(value.value ?? null)) };
  }
  if (Array.isArray(value)) return value.map((item) => encryptSecrets(item, secrets));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, encryptSecrets(item, secrets)]),
    );
  }
  return value;
}

/** The in-memory form back: each encrypted secret becomes `{ <sig>: <secret sig>, value }`. */
export function decryptSecrets(value: JsonValue, secrets: PassphraseSecretsManager): JsonValue {
  if (isSecret(value) && typeof value.ciphertext === "string") {
    return { [SIG_KEY]: SECRET_SIG, value: JSON.parse(secrets.decrypt(value.ciphertext)) as JsonValue };
  }
  if (Array.isArray(value)) return value.map((item) => decryptSecrets(item, secrets));
  if (isPlainObject(value)) {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, decryptSecrets(item, secrets)]),
    );
  }
  return value;
}
