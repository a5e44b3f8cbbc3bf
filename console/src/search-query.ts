/**
 * What one search box means: a ticket number, an email, a phone number, an order or account number
 * (letters and digits without spaces), or else words of the subject and summary.
 *
 * @example
 * interpretQuery('138 0013 8000'); // { phone: '138 0013 8000' }
 */
export function interpretQuery(raw: string): Record<string, string> {
  const value = raw.trim();
  if (value === '') return {};
  if (/^cs\d{11,17}$/i.test(value)) return { ticketNo: value.toUpperCase() };
  if (/^[^\s@]+@[^\s@]+$/.test(value)) return { email: value };
  if (/^\+?[\d\s().-]{7,}$/.test(value) && value.replace(/\D/g, '').length >= 7) return { phone: value };
  if (/^[\p{L}\p{N}][\p{L}\p{N}_/-]{3,}$/u.test(value) && /\d/.test(value) && !/\p{Script=Han}/u.test(value)) return { reference: value };
  return { text: value };
}
