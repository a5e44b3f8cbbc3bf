/**
 * How the desk compares a customer's contact details: the same address in another case, or the
 * same phone number written with spaces, dashes, `00` or the `+86` country code, is the same
 * customer. The store's hashed look-up keys are built from these forms.
 */

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export function normalisePhone(phone: string): string {
  return phone.replace(/[^\d+]/g, '').replace(/^00/, '+');
}

/** The form a phone number is looked up by: normalised, without the mainland country code. */
export const phoneLookupForm = (phone: string): string => normalisePhone(phone).replace(/^\+86/, '');

export const sameEmail = (a: string, b: string): boolean => normaliseEmail(a) === normaliseEmail(b);
export const samePhone = (a: string, b: string): boolean => phoneLookupForm(a) === phoneLookupForm(b);
