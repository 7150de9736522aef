"""Loading the national list of provinces and kabupaten/kota from the packaged dataset.

The CSV files in ``data/idn-area-data/`` hold Kemendagri region codes (see ``SOURCE.md``).
Loading is idempotent: rows are matched by code, created when absent and updated when their
name, kind or province changed; running it again changes nothing.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from patuh.orgs.models import CodeSystem, Government, GovernmentKind, Province

DATA_DIR = Path(__file__).resolve().parent / "data" / "idn-area-data"
PROVINCE_GOVERNMENT_PREFIX = "Provinsi "
_KIND_PREFIXES = (("Kabupaten ", GovernmentKind.KABUPATEN), ("Kota ", GovernmentKind.KOTA))


class RegionDataError(ValueError):
    """A row of the region dataset cannot be understood."""


@dataclass
class RegionCounts:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    total: dict[str, int] = field(default_factory=dict)


def read_provinces(data_dir: Path = DATA_DIR) -> list[tuple[str, str]]:
    """``[(code, name), …]`` from ``provinces.csv``."""
    with open(data_dir / "provinces.csv", newline="", encoding="utf-8") as handle:
        return [(row["code"].strip(), row["name"].strip()) for row in csv.DictReader(handle)]


def read_regencies(data_dir: Path = DATA_DIR) -> list[tuple[str, str, str, str]]:
    """``[(code, province_code, name, kind), …]`` from ``regencies.csv``."""
    rows = []
    with open(data_dir / "regencies.csv", newline="", encoding="utf-8") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            name = row["name"].strip()
            kind = next((k for prefix, k in _KIND_PREFIXES if name.startswith(prefix)), None)
            if kind is None:
                raise RegionDataError(
                    f"regencies.csv baris {line}: nama '{name}' tidak diawali 'Kabupaten ' "
                    "atau 'Kota '"
                )
            rows.append((row["code"].strip(), row["province_code"].strip(), name, str(kind)))
    return rows


@transaction.atomic
def load_regions(data_dir: Path = DATA_DIR) -> RegionCounts:
    """Create or update every province, provincial government and kabupaten/kota."""
    counts = RegionCounts()

    provinces = read_provinces(data_dir)
    existing = {p.region_code: p for p in Province.objects.all()}
    new, changed = [], []
    for code, name in provinces:
        province = existing.get(code)
        if province is None:
            new.append(Province(region_code=code, name=name))
        elif province.name != name:
            province.name = name
            changed.append(province)
    Province.objects.bulk_create(new)
    Province.objects.bulk_update(changed, ["name"])
    counts.created["province"], counts.updated["province"] = len(new), len(changed)
    counts.total["province"] = len(provinces)

    province_ids = dict(Province.objects.values_list("region_code", "id"))
    wanted = [
        (code, province_ids[code], PROVINCE_GOVERNMENT_PREFIX + name, str(GovernmentKind.PROVINSI))
        for code, name in provinces
    ]
    for code, province_code, name, kind in read_regencies(data_dir):
        if province_code not in province_ids:
            raise RegionDataError(
                f"regencies.csv: {code} merujuk provinsi {province_code} yang tidak ada"
            )
        wanted.append((code, province_ids[province_code], name, kind))

    existing_governments = {g.region_code: g for g in Government.objects.all()}
    new_governments, changed_governments = [], []
    for code, province_id, name, kind in wanted:
        government = existing_governments.get(code)
        if government is None:
            new_governments.append(
                Government(
                    region_code=code,
                    code_system=CodeSystem.KEMENDAGRI,
                    name=name,
                    kind=kind,
                    province_id=province_id,
                )
            )
            continue
        fields = {"name": name, "kind": kind, "province_id": province_id}
        if any(getattr(government, attr) != value for attr, value in fields.items()):
            for attr, value in fields.items():
                setattr(government, attr, value)
            changed_governments.append(government)
    Government.objects.bulk_create(new_governments)
    Government.objects.bulk_update(changed_governments, ["name", "kind", "province_id"])
    counts.created["government"] = len(new_governments)
    counts.updated["government"] = len(changed_governments)
    for kind in (GovernmentKind.PROVINSI, GovernmentKind.KABUPATEN, GovernmentKind.KOTA):
        counts.total[str(kind)] = sum(1 for row in wanted if row[3] == kind)
    return counts
