"""The HSDS 3.x shape Northstar reads and writes, and its few extensions.

A file is an HSDS organization list: either a JSON array of organization objects or an HSDS
API page (``{"total_items": …, "contents": [ … ]}``, what the export writes). Each
organization nests its ``services``, ``locations`` and ``contacts``. Northstar reads:

* organization: ``id``, ``name``, ``description`` (required), ``alternate_name``, ``email``,
  ``website``, ``services``, ``locations``, ``contacts``;
* service: ``id``, ``name``, ``status`` (required), ``description``,
  ``eligibility_description``, ``fees_description``, ``minimum_age``, ``maximum_age``,
  ``languages`` (``code``: ISO 639-1), ``service_areas`` (``name``: a province or territory,
  code or English name), ``capacities`` (HSDS 3.1; at most one, with ``available``,
  ``maximum``, ``updated`` and ``unit.name``), ``contacts``, and exactly one ``attributes``
  entry whose ``taxonomy_term.taxonomy`` is ``northstar-service-types`` and whose
  ``taxonomy_term.code`` is the service type;
* location: ``id``, ``location_type`` (physical or postal), ``name`` and exactly one address
  (``address_1``, ``address_2``, ``city``, ``state_province``, ``postal_code``,
  ``country`` = CA);
* contact: ``id``, ``name``, ``title``, ``email``, and at most one ``phones`` entry.

Extension fields (prefixed ``x_``, ignored by other HSDS tools):
``service.x_accepting_referrals`` (boolean).

Other HSDS fields are accepted and ignored (they are not kept, so not exported either).
"""

SERVICE_TYPE_TAXONOMY = "northstar-service-types"
ACCEPTING_FIELD = "x_accepting_referrals"
HSDS_VERSION = "3.1"
# Ids of the HSDS objects Northstar does not store (attributes, languages, service areas,
# capacities, units, addresses, phones) are derived from the parent's id with uuid5, so an
# export is stable from one run to the next.
ID_NAMESPACE = "6d3c8a58-5d2b-4d55-9c57-1c1b5c1e4b21"
