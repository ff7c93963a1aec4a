"""Make asn1crypto know every OID name pyHanko registers, whatever was imported first.

asn1crypto keeps, per ``ObjectIdentifier`` (and every other value-map) class, a ``_map`` from
dotted OID to name, and builds the reverse map (name to OID) once, on first use. pyHanko adds
names such as ``signing_certificate_v2`` to ``cms.CMSAttributeType._map`` when its modules are
imported. If anything used the class before that (asn1crypto parsing a PKCS#12 file does), the
reverse map was built without those names and never rebuilt, and signing fails with
``invalid literal for int() with base 10: 'signing_certificate_v2'``. Which module loads first
depends on the order of lazy imports, so the fix must not depend on it: after importing pyHanko,
every reverse map that already exists gets the names its ``_map`` has gained since.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from typing import Any

from asn1crypto import core  # type: ignore[import-untyped]

__all__ = ["ensure_pyhanko_names"]

# pyHanko modules that add OID names to asn1crypto's maps when imported.
_REGISTERING_MODULES = (
    "pyhanko.sign.general",
    "pyhanko.sign.ades.cades_asn1",
    "pyhanko.sign.ades.qualified_asn1",
    "pyhanko_certvalidator.asn1_types",
)


def _value_map_classes() -> Iterator[type[Any]]:
    seen: set[type[Any]] = set()
    stack: list[type[Any]] = [core.ValueMap]
    while stack:
        cls = stack.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                stack.append(sub)
                yield sub


def ensure_pyhanko_names() -> int:
    """Import pyHanko's OID registrations and bring every built reverse map up to date.

    Cheap and idempotent: call it before signing or verifying. Returns how many names were
    added to reverse maps that had been built too early (0 when nothing was stale). Only
    adds entries; nothing asn1crypto or pyHanko already resolves changes.
    """
    for name in _REGISTERING_MODULES:
        importlib.import_module(name)
    added = 0
    for cls in _value_map_classes():
        # asn1crypto builds the reverse map on the class that was used, from its (maybe inherited) map.
        forward = getattr(cls, "_map", None)
        reverse = cls.__dict__.get("_reverse_map")
        if not isinstance(forward, dict) or not isinstance(reverse, dict):
            continue  # not built yet on this class: it will be built from the full map
        for key, value in forward.items():
            if value not in reverse:
                reverse[value] = key
                added += 1
    return added
