// Builds the file a Scalingo backup download serves: a gzip-compressed tar holding one simulated dump,
// as real Scalingo archives are `.tar.gz` files wrapping the database dump.
import { gzipSync } from "node:zlib";
import { pgDumpText } from "../data-plane";

const BLOCK = 512;

function writeField(header: Buffer, offset: number, length: number, value: string): void {
  header.write(value.slice(0, length), offset, length, "utf8");
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, "0")}\0`;
}

/** One ustar header block for a regular file. */
function tarHeader(fileName: string, size: number, mtimeSeconds: number): Buffer {
  const header = Buffer.alloc(BLOCK, 0);
  writeField(header, 0, 100, fileName);
  writeField(header, 100, 8, octal(0o644, 8));
  writeField(header, 108, 8, octal(0, 8));
  writeField(header, 116, 8, octal(0, 8));
  writeField(header, 124, 12, octal(size, 12));
  writeField(header, 136, 12, octal(mtimeSeconds, 12));
  writeField(header, 148, 8, "        ");
  writeField(header, 156, 1, "0");
  writeField(header, 257, 6, "ustar\0");
  writeField(header, 263, 2, "00");
  const checksum = header.reduce((sum, byte) => sum + byte, 0);
  writeField(header, 148, 8, `${checksum.toString(8).padStart(6, "0")}\0 `);
  return header;
}

/** A gzip'd tar archive containing the given files (end-of-archive marker included). */
export function tarGz(files: Array<{ name: string; content: Buffer }>, mtime: Date): Buffer {
  const mtimeSeconds = Math.floor(mtime.getTime() / 1000);
  const blocks: Buffer[] = [];
  for (const file of files) {
    blocks.push(tarHeader(file.name, file.content.length, mtimeSeconds), file.content);
    const padding = (BLOCK - (file.content.length % BLOCK)) % BLOCK;
    blocks.push(Buffer.alloc(padding, 0));
  }
  blocks.push(Buffer.alloc(BLOCK * 2, 0));
  return gzipSync(Buffer.concat(blocks));
}

/** The dump's name inside the archive, with the extension of the tool that produced it. */
export function dumpFileName(typeName: string, backupName: string): string {
  const extension = typeName === "postgresql" ? "pgsql" : typeName === "mysql" ? "sql" : "dump";
  return `${backupName}.${extension}`;
}

/** Plain-text dump content, shaped after the tool each database type is dumped with. */
export function simulatedDump(typeName: string, resourceId: string, takenAt: Date): string {
  const stamp = takenAt.toISOString();
  if (typeName === "postgresql") return pgDumpText([`Database: ${resourceId}`, `Dumped at: ${stamp}`]);
  if (typeName === "mysql") {
    return [
      `-- MySQL dump of ${resourceId}`,
      `-- Dump completed on ${stamp}`,
      "CREATE TABLE `items` (`id` int NOT NULL, `name` text NOT NULL);",
      "INSERT INTO `items` VALUES (1,'emulated');",
      "",
    ].join("\n");
  }
  return `# ${typeName} dump of ${resourceId} taken at ${stamp}\n`;
}
