// Validation rules shared by the Scaleway resources' inputs.
import { isIPv4 } from "node:net";
import { z } from "zod";

const REGIONAL_UUID = /^([a-z]{2}-[a-z]{3}\/)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function regionalIdSchema(what: string) {
  return z
    .string({ message: `is required: the ${what} id, {region}/{uuid}` })
    .regex(REGIONAL_UUID, `must be a ${what} id: {region}/{uuid} or a UUID`);
}

const DURATION_RULE = 'must be a duration such as "90s", "20m" or "1h30m"';
const duration = z
  .string()
  .regex(/^(\d+h)?(\d+m)?(\d+s)?$/, DURATION_RULE)
  .refine((text) => text !== "", DURATION_RULE);

export const timeoutsSchema = z
  .object({ create: duration.optional(), update: duration.optional(), delete: duration.optional() })
  .strict();

export const databaseNameSchema = z
  .string()
  .min(1, "must not be empty")
  .max(63, "must be at most 63 characters")
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]*$/,
    "must start with a letter or '_' and use only letters, digits, '-' or '_'",
  );

/** The parts of an IPv4 network `a.b.c.d/n`, or undefined when `text` is not one (a bare address counts as /32). */
export function parseIpv4Network(text: string): { address: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(?:\/(\d{1,2}))?$/.exec(text.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = match[5] === undefined ? 32 : Number(match[5]);
  if (octets.some((octet) => octet > 255) || prefix > 32) return undefined;
  const address = octets.reduce((value, octet) => value * 256 + octet, 0);
  return { address, prefix };
}

/**
 * `text` as the API stores a network: with its prefix (`1.2.3.4` is `1.2.3.4/32`) and without host bits
 * (`10.1.2.3/16` is `10.1.0.0/16`), as Terraform's scaleway_rdb_acl sends it, so that neither spelling diffs.
 */
export function canonicalIpv4Network(text: string): string {
  const network = parseIpv4Network(text);
  if (!network) return text;
  const size = 2 ** (32 - network.prefix);
  const base = Math.floor(network.address / size) * size;
  const octets = [24, 16, 8, 0].map((shift) => Math.floor(base / 2 ** shift) % 256);
  return `${octets.join(".")}/${network.prefix}`;
}

const IPV4_CIDR_RULE = "must be an IPv4 address with its prefix length, e.g. 192.168.1.254/24";

/** `a.b.c.d/n`: the only form Private Network service addresses take. */
export const ipv4CidrSchema = z.string().refine((value) => {
  const [address, prefix, ...rest] = value.split("/");
  if (rest.length > 0 || !isIPv4(address) || prefix === undefined || !/^\d{1,2}$/.test(prefix)) return false;
  return Number(prefix) <= 32;
}, IPV4_CIDR_RULE);

/**
 * A Private Network endpoint, as the `private_network` blocks of Terraform's scaleway_rdb_instance and
 * scaleway_rdb_read_replica declare it: the network, and either a static
 * address (`serviceIp`) or one IPAM picks (`enableIpam`, the default when no address is given).
 */
export const privateNetworkSchema = z
  .object({
    privateNetworkId: regionalIdSchema("private network"),
    serviceIp: ipv4CidrSchema.optional(),
    enableIpam: z.boolean().optional(),
  })
  .strict()
  .superRefine((network, context) => {
    if (network.enableIpam === true && network.serviceIp !== undefined) {
      context.addIssue({
        code: "custom",
        path: ["enableIpam"],
        message:
          "must not be true together with serviceIp: IPAM picks the address, serviceIp fixes it; set one",
      });
    }
    if (network.enableIpam === false && network.serviceIp === undefined) {
      context.addIssue({
        code: "custom",
        path: ["serviceIp"],
        message: "is required when enableIpam is false: without IPAM the address must be given",
      });
    }
  });

export const userNameSchema = z
  .string({ message: "is required: the user's name" })
  .regex(
    /^[A-Za-z_][A-Za-z0-9_-]{0,62}$/,
    "must start with a letter or '_' and be at most 63 letters, digits, '-' or '_'",
  )
  .refine((name) => !name.startsWith("_rdb"), "must not start with _rdb (reserved by the service)");

/**
 * The id of something that lives inside an instance and is known by its name(s): `{region}/{instance uuid}/{name}`
 * (a privilege: `/{database}/{user}`), as Terraform's scaleway_rdb_database, _user and _privilege write theirs.
 */
export function instancePartIdSchema(what: string, names: readonly string[]) {
  const shape = `{region}/{instance uuid}/${names.map((name) => `{${name}}`).join("/")}`;
  const uuid = "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  const pattern = new RegExp(`^[a-z]{2}-[a-z]{3}/${uuid}${"/[^/]+".repeat(names.length)}$`, "i");
  return z.string().regex(pattern, `must be a ${what} id: ${shape}`);
}
