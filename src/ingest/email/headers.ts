import type { Address, Email } from 'postal-mime';

function formatAddress(address: Address): string {
  if (address.group) {
    return `${address.name}: ${address.group.map(formatAddress).join(', ')};`;
  }
  if (address.name && address.name !== address.address) return `${address.name} <${address.address}>`;
  return address.address;
}

function formatAddresses(addresses: readonly Address[] | undefined): string {
  return (addresses ?? []).map(formatAddress).join(', ');
}

/**
 * The header block a reader looks at: who, when, what. Only the fields the message has; the date is
 * postal-mime's ISO form (or the raw value when it does not parse).
 */
export function headerText(email: Email): string {
  const fields: Array<[string, string]> = [
    ['From', email.from ? formatAddress(email.from) : ''],
    ['To', formatAddresses(email.to)],
    ['Cc', formatAddresses(email.cc)],
    ['Date', email.date ?? ''],
    ['Subject', email.subject ?? ''],
  ];
  return fields
    .map(([name, value]) => [name, value.replace(/\s+/g, ' ').trim()] as const)
    .filter(([, value]) => value.length > 0)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\n');
}

/**
 * Whether any header line is a real header field. Plain prose parses as "headers" whose names hold
 * spaces (postal-mime keeps every line before the first blank one); RFC 5322 names cannot.
 */
export function hasHeaderFields(email: Email): boolean {
  return email.headers.some((h) => /^[!-9;-~]+$/.test(h.key));
}
