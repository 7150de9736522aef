"""The 14 components of a service standard (UU 25/2009 art. 21) as data, and which Ombudsman
indicators (2022–2024 instruments) evidence which of them.

PermenPAN-RB 15/2014 splits them: b, c, d, e, f and j are the service-delivery components a unit
must publish; the other eight are internal (management) components. The maklumat pelayanan
(service pledge) is published beside the standard and is checked by PR-06.

Pure Python on purpose (no Django import): the scoring side and the assessment workspace may ask
it without loading the app. Labels are Bahasa Indonesia data; ``gettext_noop`` below only marks
them for ``makemessages`` and templates translate them with ``{% translate component.label %}``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


def gettext_noop(message: str) -> str:
    """Marks a string for the catalogue without translating it (Django's ``gettext_noop``)."""
    return message


@dataclass(frozen=True)
class Component:
    code: str
    """``"a"`` … ``"n"``, the letter of UU 25/2009 art. 21."""
    label: str
    """Bahasa Indonesia name, as the law writes it."""
    public: bool
    """Whether PermenPAN-RB 15/2014 requires the component to be published."""
    hint: str = ""
    """What to write, for the form."""


COMPONENTS: tuple[Component, ...] = (
    Component(
        "a",
        gettext_noop("Dasar hukum"),
        False,
        gettext_noop("Peraturan yang menjadi dasar penyelenggaraan layanan."),
    ),
    Component(
        "b",
        gettext_noop("Persyaratan"),
        True,
        gettext_noop("Syarat teknis dan administratif yang harus dipenuhi pemohon."),
    ),
    Component(
        "c",
        gettext_noop("Sistem, mekanisme dan prosedur"),
        True,
        gettext_noop("Alur pelayanan dari permohonan sampai produk diterima."),
    ),
    Component(
        "d",
        gettext_noop("Jangka waktu penyelesaian"),
        True,
        gettext_noop("Lama penyelesaian sejak persyaratan lengkap."),
    ),
    Component(
        "e",
        gettext_noop("Biaya/tarif"),
        True,
        gettext_noop("Biaya dan dasar hukumnya, atau keterangan bahwa layanan gratis."),
    ),
    Component(
        "f",
        gettext_noop("Produk pelayanan"),
        True,
        gettext_noop("Apa yang diterima pemohon di akhir layanan."),
    ),
    Component(
        "g",
        gettext_noop("Sarana, prasarana dan/atau fasilitas"),
        False,
        gettext_noop("Ruang, peralatan dan fasilitas yang dipakai melayani."),
    ),
    Component(
        "h",
        gettext_noop("Kompetensi pelaksana"),
        False,
        gettext_noop("Pendidikan, keahlian dan pelatihan yang dibutuhkan petugas."),
    ),
    Component(
        "i",
        gettext_noop("Pengawasan internal"),
        False,
        gettext_noop("Siapa mengawasi pelaksanaan layanan dan bagaimana."),
    ),
    Component(
        "j",
        gettext_noop("Penanganan pengaduan, saran dan masukan"),
        True,
        gettext_noop("Saluran pengaduan (termasuk SP4N-LAPOR!) dan cara penanganannya."),
    ),
    Component(
        "k",
        gettext_noop("Jumlah pelaksana"),
        False,
        gettext_noop("Jumlah petugas yang melayani."),
    ),
    Component(
        "l",
        gettext_noop("Jaminan pelayanan"),
        False,
        gettext_noop("Kepastian bahwa layanan diberikan sesuai standar."),
    ),
    Component(
        "m",
        gettext_noop("Jaminan keamanan dan keselamatan pelayanan"),
        False,
        gettext_noop("Rasa aman, bebas bahaya, risiko dan keragu-raguan."),
    ),
    Component(
        "n",
        gettext_noop("Evaluasi kinerja pelaksana"),
        False,
        gettext_noop("Cara dan jadwal menilai kinerja petugas terhadap standar."),
    ),
)

COMPONENT_CODES: tuple[str, ...] = tuple(c.code for c in COMPONENTS)
PUBLIC_CODES: tuple[str, ...] = tuple(c.code for c in COMPONENTS if c.public)
"""``("b", "c", "d", "e", "f", "j")``."""
INTERNAL_CODES: tuple[str, ...] = tuple(c.code for c in COMPONENTS if not c.public)
BY_CODE: dict[str, Component] = {c.code: c for c in COMPONENTS}

SERVICE_PLEDGE = "service_pledge"
"""What :func:`component_for_indicator` answers for the indicator checking the maklumat."""
SERVICE_PLEDGE_LABEL = gettext_noop("Maklumat pelayanan")

INDICATOR_COMPONENT_CODES: dict[str, tuple[str, ...]] = {
    # Input, Kompetensi Pelaksana: what the interviewed implementers know (h)
    "IN-K1": ("h",),
    "IN-K2": ("h",),
    "IN-K3": ("h",),
    "IN-K4": ("h",),
    "IN-K5": ("h",),
    "IN-K6": ("h",),
    # Input, Sarana Prasarana (methodology notes §8: the Langkat checklist → indicator)
    "IN-S1": ("i",),  # frequency of internal supervision
    "IN-S2": ("k",),  # number of staff matches the workload analysis
    "IN-S3": ("l",),  # compensation when the standard is not met: the service guarantee
    "IN-S4": ("m",),  # guarantee of security and safety
    "IN-S5": ("n",),  # instrument evaluating implementer performance
    "IN-S6": ("a",),  # legal basis of the service standard
    "IN-S7": ("g",),  # facilities for users
    "IN-S8": ("g",),  # facilities for users needing special treatment
    # Proses, Standar Pelayanan: the published components, observed per product
    "PR-01": ("b",),
    "PR-02": ("c", "j"),  # the procedure includes the complaint procedure
    "PR-03": ("d",),
    "PR-04": ("e",),
    "PR-05": ("f",),
    "PR-06": (SERVICE_PLEDGE,),
    # Pengaduan: handling of complaints, suggestions and input (j)
    "PG-1": ("j",),
    "PG-2": ("j",),
    "PG-3": ("j",),
    "PG-4": ("j",),
    "PG-5": ("j",),
    "PG-6": ("j",),
    "PG-7": ("j", "h"),  # complaint handlers' competence
    "PG-8": ("j", "g"),  # complaint facilities
}
"""Per Ombudsman indicator, the service-standard components it evidences, the one it checks
most directly first. Indicators not listed (IN-S9 outreach, PR-07…PR-11, the OU perception
items) evidence no component."""

INDICATOR_COMPONENTS: dict[str, str] = {
    code: components[0] for code, components in INDICATOR_COMPONENT_CODES.items()
}
"""Per indicator, the component it checks most directly: ``PR-01`` → ``b``, ``IN-S6`` → ``a``,
``PR-06`` → the service pledge."""

COMPONENT_INDICATORS: dict[str, tuple[str, ...]] = {
    component: tuple(
        code for code, components in INDICATOR_COMPONENT_CODES.items() if component in components
    )
    for component in (*COMPONENT_CODES, SERVICE_PLEDGE)
}
"""Per component (a letter or ``SERVICE_PLEDGE``), every indicator that evidences it, in
instrument order: ``"a"`` → ``("IN-S6",)``, ``"j"`` → ``("PR-02", "PG-1", …, "PG-8")``."""


def component_for_indicator(code: str) -> str | None:
    """The component ``code`` checks most directly: ``"PR-01"`` → ``"b"``, ``"IN-S6"`` → ``"a"``,
    ``"PG-3"`` → ``"j"``, ``"PR-06"`` → ``"service_pledge"``; ``None`` for an indicator that
    evidences no component (``"PR-07"``, ``"IN-S9"``, ``"OU-1"``)."""
    return INDICATOR_COMPONENTS.get(code.strip().upper())


def components_for_indicator(code: str) -> tuple[str, ...]:
    """Every component ``code`` evidences, the most direct first (``"PG-8"`` → ``("j", "g")``)."""
    return INDICATOR_COMPONENT_CODES.get(code.strip().upper(), ())


def indicators_for_component(component: str, indicator_codes: Iterable[str]) -> list[str]:
    """The indicators of an instrument (its ``indicator_codes``, in its order) that evidence
    ``component``; e.g. without IN-K5 in the 2022 instrument."""
    mapped = set(COMPONENT_INDICATORS.get(component, ()))
    return [code for code in indicator_codes if code in mapped]


def anchor(product_id: int, component: str) -> str:
    """The HTML id of ``component`` (a letter or ``SERVICE_PLEDGE``) of one product on the
    unit's public page: ``produk-12-komponen-b``, ``produk-12-maklumat``. An internal component
    (``a``, ``g``, ``h``, ``i``, ``k``…``n``) is not shown to the public: its anchor is the
    product's section, ``produk-12``."""
    if component == SERVICE_PLEDGE:
        return f"produk-{product_id}-maklumat"
    if component not in PUBLIC_CODES:
        return f"produk-{product_id}"
    return f"produk-{product_id}-komponen-{component}"
