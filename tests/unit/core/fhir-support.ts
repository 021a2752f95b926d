/** Helpers the FHIR tests share: reading a Bundle's resources, making one, importing one that must import. */
import { fromFhirBundle } from '../../../src/lib/core/fhir';

export type Json = Record<string, unknown>;

/** The day the FHIR tests import on (record dates must not be after it). */
export const TODAY = '2026-06-15';

export const resources = (bundle: Json): Json[] => (bundle.entry as Json[]).map((e) => e.resource as Json);
export const bundleOf = (...rs: Json[]): Json => ({ resourceType: 'Bundle', type: 'collection', entry: rs.map((resource) => ({ resource })) });

/** Imports `input` on {@link TODAY}; throws when the whole import is refused. */
export const importOk = (input: unknown) => {
  const r = fromFhirBundle(input, TODAY);
  if (!r.ok) throw new Error(`expected ok, got ${r.error}`);
  return r;
};
