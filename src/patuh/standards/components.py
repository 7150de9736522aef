"""The 14 components of a service standard (UU 25/2009 art. 21) as data, and which Ombudsman
Proses indicator checks which of them.

PermenPAN-RB 15/2014 splits them: b, c, d, e, f and j are the service-delivery components a unit
must publish; the other eight are internal (management) components. The maklumat pelayanan
(service pledge) is published beside the standard and is checked by PR-06.

Pure Python on purpose (no Django import): the scoring side and the assessment workspace may ask
it without loading the app. Labels are Bahasa Indonesia data; ``gettext_noop`` below only marks
them for ``makemessages`` and templates translate them with ``{% translate component.label %}``.
"""

from __future__ import annotations

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

INDICATOR_COMPONENTS: dict[str, str] = {
    "PR-01": "b",
    "PR-02": "c",
    "PR-03": "d",
    "PR-04": "e",
    "PR-05": "f",
    "PR-06": SERVICE_PLEDGE,
}
"""The Ombudsman Proses indicators that check a published component of the service standard."""


def component_for_indicator(code: str) -> str | None:
    """``"PR-01"`` → ``"b"`` … ``"PR-05"`` → ``"f"``, ``"PR-06"`` → ``"service_pledge"``;
    ``None`` for every other indicator."""
    return INDICATOR_COMPONENTS.get(code.strip().upper())


def anchor(product_id: int, component: str) -> str:
    """The HTML id of ``component`` (a letter or ``SERVICE_PLEDGE``) of one product on the
    unit's public page: ``produk-12-komponen-b``, ``produk-12-maklumat``."""
    if component == SERVICE_PLEDGE:
        return f"produk-{product_id}-maklumat"
    return f"produk-{product_id}-komponen-{component}"
