// Files the emulator serves at presigned-style URLs (backup exports, prepared logs), as object storage would.
import { randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { FileStore } from "./files";
import type { EmulatorResponse } from "./framework";

export const DOWNLOADS_PREFIX = "/_emulator/downloads/";

interface StoredDownload {
  fileName: string;
  /** The stored file (files.ts) holding the content. */
  file: string;
  signature: string;
  publishedAt: number;
  expiresAt: number;
}

function amzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function s3Error(status: number, code: string, message: string): EmulatorResponse {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`;
  return { status, raw: Buffer.from(xml), headers: { "content-type": "application/xml" } };
}

export class DownloadStore {
  private downloads = new Map<string, StoredDownload>();

  constructor(private readonly files: FileStore) {}

  publish(
    baseUrl: string,
    now: number,
    content: Buffer,
    fileName: string,
    ttlMs: number,
  ): { url: string; expiresAt: Date } {
    const id = randomUUID();
    const signature = randomBytes(32).toString("hex");
    const expiresAt = now + ttlMs;
    this.downloads.set(id, {
      fileName,
      file: this.files.put(`download-${id}`, content),
      signature,
      publishedAt: now,
      expiresAt,
    });
    const query = new URLSearchParams({
      "X-Amz-Algorithm": "AWS4-HMAC-SHA256",
      "X-Amz-Credential": `SCWEMULATOR/${amzDate(now).slice(0, 8)}/fr-par/s3/aws4_request`,
      "X-Amz-Date": amzDate(now),
      "X-Amz-Expires": String(Math.round(ttlMs / 1000)),
      "X-Amz-SignedHeaders": "host",
      "X-Amz-Signature": signature,
    });
    return {
      url: `${baseUrl}${DOWNLOADS_PREFIX}${id}/${encodeURIComponent(fileName)}?${query}`,
      expiresAt: new Date(expiresAt),
    };
  }

  /** Answers a GET on a download URL: the file, or 403 for a wrong signature or an expired link, as S3 does. */
  serve(path: string, query: URLSearchParams, now: number): EmulatorResponse {
    const [id, fileName] = path.slice(DOWNLOADS_PREFIX.length).split("/");
    const download = this.downloads.get(id ?? "");
    if (!download || decodeURIComponent(fileName ?? "") !== download.fileName) {
      return s3Error(404, "NoSuchKey", "The specified key does not exist.");
    }
    const given = Buffer.from(query.get("X-Amz-Signature") ?? "");
    const expected = Buffer.from(download.signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return s3Error(
        403,
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided.",
      );
    }
    if (now >= download.expiresAt) {
      return s3Error(403, "AccessDenied", "Request has expired");
    }
    return {
      status: 200,
      raw: this.files.get(download.file),
      headers: {
        "content-type": "application/octet-stream",
        "content-disposition": `attachment; filename="${download.fileName}"`,
      },
    };
  }

  clear(): void {
    this.downloads.clear();
  }

  exportState(): Record<string, StoredDownload> {
    return Object.fromEntries(this.downloads);
  }

  importState(state: unknown): void {
    this.downloads = new Map(
      Object.entries((state ?? {}) as Record<string, StoredDownload>).filter(
        ([, download]) => typeof download?.file === "string",
      ),
    );
  }
}
