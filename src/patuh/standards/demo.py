"""Demo service standards for Kabupaten Langkat's Disdukcapil (synthetic text).

``load_demo_standards()`` is idempotent: a product that already has a standard is left alone.
It goes through the audited verbs, so the unit's history shows the demo's changes too:

- "Penerbitan KTP-el": version 1 published (adopted 16 January 2023, superseded) and version 2
  published (adopted 6 January 2025, the current standard);
- "Penerbitan Kartu Keluarga": version 1, a draft with only some components filled in.
"""

from __future__ import annotations

from datetime import date

from patuh.orgs.models import ServiceProduct
from patuh.standards.services import new_version_from, publish, save_draft

GOVERNMENT_CODE = "12.05"
UNIT_CODE = "disdukcapil"
KTP = "Penerbitan KTP-el"
KK = "Penerbitan Kartu Keluarga"

SERVICE_PLEDGE = (
    "Dengan ini kami menyatakan sanggup menyelenggarakan pelayanan sesuai standar pelayanan yang "
    "telah ditetapkan dan apabila tidak menepati janji ini, kami siap menerima sanksi sesuai "
    "peraturan perundang-undangan yang berlaku."
)

KTP_V1: dict[str, str] = {
    "a": (
        "UU 23/2006 tentang Administrasi Kependudukan sebagaimana diubah dengan UU 24/2013; "
        "Perpres 96/2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan "
        "Sipil."
    ),
    "b": (
        "1. Telah berusia 17 tahun, sudah kawin atau pernah kawin.\n"
        "2. Kartu Keluarga.\n"
        "3. Penggantian karena rusak: KTP-el yang rusak.\n"
        "4. Penggantian karena hilang: surat keterangan kehilangan dari kepolisian."
    ),
    "c": (
        "1. Pemohon mengambil nomor antrean di loket pelayanan.\n"
        "2. Petugas memeriksa persyaratan.\n"
        "3. Perekaman foto, sidik jari, iris mata dan tanda tangan.\n"
        "4. Pencetakan KTP-el.\n"
        "5. KTP-el diserahkan kepada pemohon dengan tanda terima."
    ),
    "d": "14 hari kerja sejak perekaman data, bila blangko tersedia.",
    "e": "Tidak dipungut biaya (gratis), sesuai pasal 79A UU 24/2013.",
    "f": "Kartu Tanda Penduduk elektronik (KTP-el).",
    "g": (
        "Ruang tunggu, loket prioritas bagi penyandang disabilitas, lansia dan ibu hamil, alat "
        "perekaman KTP-el, mesin antrean dan toilet."
    ),
    "h": (
        "Petugas berpendidikan paling rendah SMA/sederajat yang telah mengikuti bimbingan teknis "
        "perekaman dan pencetakan KTP-el."
    ),
    "i": "Kepala Bidang Pelayanan Pendaftaran Penduduk dan Inspektorat Kabupaten.",
    "j": "Pengaduan disampaikan di meja pengaduan, melalui kotak saran atau telepon kantor.",
    "k": "8 orang: 2 petugas loket, 4 petugas perekaman dan 2 petugas pencetakan.",
    "l": "Pelayanan diberikan oleh petugas yang kompeten sesuai standar pelayanan ini.",
    "m": "Data pribadi pemohon dilindungi; ruang pelayanan dilengkapi APAR dan jalur evakuasi.",
    "n": "Evaluasi kinerja petugas setiap triwulan melalui Survei Kepuasan Masyarakat.",
}

KTP_V2: dict[str, str] = {
    **KTP_V1,
    "d": "1 hari kerja sejak persyaratan lengkap dan perekaman selesai, bila blangko tersedia.",
    "j": (
        "Pengaduan disampaikan di meja pengaduan, melalui kotak saran, telepon kantor atau "
        "SP4N-LAPOR! (www.lapor.go.id, SMS 1708). Setiap pengaduan ditanggapi paling lambat "
        "5 hari kerja."
    ),
}

KK_DRAFT: dict[str, str] = {
    "b": (
        "1. Buku nikah/akta perkawinan atau akta perceraian.\n"
        "2. Surat keterangan pindah bagi penduduk yang pindah datang."
    ),
    "c": "1. Pengisian formulir F-1.01.\n2. Verifikasi oleh petugas.\n3. Pencetakan KK.",
    "d": "1 hari kerja sejak persyaratan lengkap.",
}


def load_demo_standards() -> int:
    """Create the demo standards that are missing; returns how many versions were created."""
    products = {
        p.name: p
        for p in ServiceProduct.objects.filter(
            unit__government__region_code=GOVERNMENT_CODE, unit__code=UNIT_CODE, name__in=[KTP, KK]
        )
    }
    created = 0
    ktp = products.get(KTP)
    if ktp is not None and not ktp.standards.exists():
        first = save_draft(ktp, KTP_V1, SERVICE_PLEDGE, date(2023, 1, 16), None)
        publish(first, None)
        new_version_from(first, None)
        second = save_draft(ktp, KTP_V2, SERVICE_PLEDGE, date(2025, 1, 6), None)
        publish(second, None)
        created += 2
    kk = products.get(KK)
    if kk is not None and not kk.standards.exists():
        save_draft(kk, KK_DRAFT, "", date(2025, 2, 3), None)
        created += 1
    return created
