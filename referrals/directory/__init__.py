"""The partner directory: HSDS-shaped partner organisations, their services, locations,
contacts, capacity and data-sharing agreements.

Modules: ``services`` (writes, audited), ``selectors`` (reads), ``permissions`` (who may see
or edit what), ``suggestions`` (ranked partner suggestions for a set of needs), ``hsds``
(Open Referral HSDS 3.x JSON import and export), ``languages`` (ISO 639-1 codes).
"""
