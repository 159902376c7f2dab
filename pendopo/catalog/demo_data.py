"""The demo catalogues' content: realistic services of Banyuwangi and Mamuju Tengah (illustrative, not official).

Agency codes are those of /work/brief/demo-agencies.md (created by `pendopo demo` in regions/demo.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

# --- reusable application-form fields ---------------------------------------------------------------

UPLOAD = {"extensions": ["pdf", "jpg", "jpeg", "png"], "max_size_kb": 2048}


def f_nik(key: str = "nik", label_id: str = "NIK pemohon", label_en: str = "Applicant's NIK") -> dict[str, Any]:
    return {"key": key, "type": "nik", "label_id": label_id, "label_en": label_en, "required": True}


def f_text(key: str, label_id: str, label_en: str, *, required: bool = True, max_length: int = 150, **rules: Any) -> dict:
    return {
        "key": key,
        "type": "text",
        "label_id": label_id,
        "label_en": label_en,
        "required": required,
        "validation": {"max_length": max_length, **rules},
    }


def f_date(key: str, label_id: str, label_en: str, *, required: bool = True) -> dict[str, Any]:
    return {"key": key, "type": "date", "label_id": label_id, "label_en": label_en, "required": required}


def f_choice(key: str, label_id: str, label_en: str, choices: list[tuple[str, str, str]], *, required: bool = True) -> dict:
    return {
        "key": key,
        "type": "choice",
        "label_id": label_id,
        "label_en": label_en,
        "required": required,
        "validation": {"choices": [{"value": v, "label_id": i, "label_en": e} for v, i, e in choices]},
    }


def f_file(key: str, label_id: str, label_en: str, *, required: bool = True) -> dict[str, Any]:
    """A file the form asks for that is not one of the requirements. The demo services ask none: their
    documents are their requirements, each uploaded once (issue #11 item 8)."""
    return {"key": key, "type": "file", "label_id": label_id, "label_en": label_en, "required": required, "validation": UPLOAD}


def f_number(key: str, label_id: str, label_en: str, *, minimum: int = 0, maximum: int = 1_000_000) -> dict[str, Any]:
    return {
        "key": key,
        "type": "number",
        "label_id": label_id,
        "label_en": label_en,
        "required": True,
        "validation": {"min": minimum, "max": maximum},
    }


NAME = f_text("full_name", "Nama lengkap", "Full name", max_length=100)
PHONE = {"key": "phone", "type": "phone", "label_id": "Nomor HP/WhatsApp", "label_en": "Mobile/WhatsApp number", "required": True}
EMAIL = {"key": "email", "type": "email", "label_id": "Email", "label_en": "Email", "required": False}
VILLAGE = {"key": "village", "type": "village", "label_id": "Desa/kelurahan", "label_en": "Village", "required": True}
ADDRESS = f_text("address", "Alamat (jalan, RT/RW)", "Address (street, RT/RW)", max_length=200)
KK_NUMBER = f_text("kk_number", "Nomor Kartu Keluarga", "Family card number", max_length=16, length=16, regex=r"^\d{16}$")
CONTACT = [NAME, PHONE, EMAIL]


def r(text: str, *, required: bool = True, upload: bool = True, group: str = "") -> dict[str, Any]:
    """A requirement; those with the same `group` are alternatives (one of them is needed)."""
    item = {"text": text, "required": required, "is_document_upload": upload}
    return {**item, "group": group} if group else item


# --- what an agency's standards share (the management part) -----------------------------------------


@dataclass(frozen=True)
class AgencyDefaults:
    number: str  # the agency's number in its decree numbers
    facilities: str
    competence: str
    officers: int
    legal_basis: str


COMMON_LEGAL = (
    "Undang-Undang Nomor 25 Tahun 2009 tentang Pelayanan Publik\n"
    "Peraturan Pemerintah Nomor 96 Tahun 2012 tentang Pelaksanaan UU Pelayanan Publik\n"
    "Peraturan Menteri PANRB Nomor 15 Tahun 2014 tentang Pedoman Standar Pelayanan"
)

AGENCIES: dict[str, AgencyDefaults] = {
    "DISPENDUKCAPIL": AgencyDefaults(
        "429.110",
        "Ruang tunggu ber-AC, loket pelayanan, mesin antrean, perekaman biometrik, printer kartu, "
        "komputer dan jaringan SIAK terpusat, toilet, ruang laktasi, jalur kursi roda",
        "Memahami Undang-Undang Administrasi Kependudukan, mampu mengoperasikan SIAK, ramah dan komunikatif",
        12,
        "Undang-Undang Nomor 24 Tahun 2013 tentang Perubahan atas UU 23/2006 tentang Administrasi Kependudukan\n"
        "Peraturan Presiden Nomor 96 Tahun 2018 tentang Persyaratan dan Tata Cara Pendaftaran Penduduk dan Pencatatan Sipil\n"
        "Permendagri Nomor 108 Tahun 2019",
    ),
    "DPMPTSP": AgencyDefaults(
        "429.107",
        "Mal Pelayanan Publik, loket konsultasi, komputer dan akses OSS, ruang tunggu, toilet, ruang laktasi, jalur difabel",
        "Memahami perizinan berusaha berbasis risiko (OSS RBA), komunikatif, menguasai aplikasi SiCantik dan OSS",
        8,
        "Peraturan Pemerintah Nomor 5 Tahun 2021 tentang Penyelenggaraan Perizinan Berusaha Berbasis Risiko\n"
        "Peraturan Pemerintah Nomor 16 Tahun 2021 tentang Peraturan Pelaksanaan UU Bangunan Gedung",
    ),
    "DINKES": AgencyDefaults(
        "429.105",
        "Ruang periksa, alat kesehatan dasar, laboratorium sederhana, ruang tunggu, toilet, komputer",
        "Tenaga medis dan tenaga kesehatan yang memiliki STR dan SIP yang berlaku",
        6,
        "Undang-Undang Nomor 17 Tahun 2023 tentang Kesehatan\nPeraturan Menteri Kesehatan Nomor 14 Tahun 2021",
    ),
    "DINSOS": AgencyDefaults(
        "429.106",
        "Loket pelayanan, komputer dengan akses SIKS-NG, ruang tunggu, toilet, jalur difabel",
        "Memahami pengelolaan Data Terpadu Kesejahteraan Sosial dan program perlindungan sosial",
        5,
        "Undang-Undang Nomor 11 Tahun 2009 tentang Kesejahteraan Sosial\n"
        "Peraturan Menteri Sosial Nomor 3 Tahun 2021 tentang Pengelolaan Data Terpadu Kesejahteraan Sosial",
    ),
    "DPUCKPP": AgencyDefaults(
        "429.112",
        "Ruang konsultasi teknis, peta rencana tata ruang, komputer dan SIMBG, ruang tunggu",
        "Tenaga teknis bidang tata ruang dan bangunan gedung (arsitektur, sipil)",
        4,
        "Undang-Undang Nomor 26 Tahun 2007 tentang Penataan Ruang\nPeraturan Daerah tentang RTRW Kabupaten Banyuwangi",
    ),
    "DISKOPUMP": AgencyDefaults(
        "429.114",
        "Laboratorium metrologi, standar ukuran, timbangan dan anak timbangan standar, kendaraan tera keliling",
        "Penera bersertifikat dan pengamat tera",
        5,
        "Undang-Undang Nomor 2 Tahun 1981 tentang Metrologi Legal\nPermendag Nomor 68 Tahun 2018 tentang Tera dan Tera Ulang",
    ),
    "DISHUB": AgencyDefaults(
        "429.116",
        "Gedung dan peralatan pengujian kendaraan bermotor, alat uji emisi, rem dan lampu, ruang tunggu",
        "Penguji kendaraan bermotor bersertifikat kompetensi",
        7,
        "Undang-Undang Nomor 22 Tahun 2009 tentang Lalu Lintas dan Angkutan Jalan\n"
        "Peraturan Menteri Perhubungan Nomor 19 Tahun 2021 tentang Pengujian Berkala Kendaraan Bermotor",
    ),
    "DLH": AgencyDefaults(
        "429.117",
        "Loket pelayanan, komputer dan akses AMDALNET, ruang konsultasi",
        "Memahami dokumen lingkungan hidup (AMDAL, UKL-UPL, SPPL)",
        3,
        "Undang-Undang Nomor 32 Tahun 2009 tentang Perlindungan dan Pengelolaan Lingkungan Hidup\n"
        "Peraturan Pemerintah Nomor 22 Tahun 2021",
    ),
    "BAPENDA": AgencyDefaults(
        "429.120",
        "Loket PBB dan BPHTB, komputer dengan SISMIOP dan e-BPHTB, ruang tunggu, toilet",
        "Memahami pajak daerah PBB-P2 dan BPHTB serta aplikasinya",
        6,
        "Undang-Undang Nomor 1 Tahun 2022 tentang Hubungan Keuangan antara Pemerintah Pusat dan Pemerintahan Daerah\n"
        "Peraturan Daerah Kabupaten Banyuwangi tentang Pajak Daerah dan Retribusi Daerah",
    ),
    "DISKOMINFO": AgencyDefaults(
        "429.115",
        "Meja layanan informasi, komputer, laman PPID, ruang baca",
        "Pejabat Pengelola Informasi dan Dokumentasi (PPID) dan staf yang memahami UU Keterbukaan Informasi",
        3,
        "Undang-Undang Nomor 14 Tahun 2008 tentang Keterbukaan Informasi Publik\n"
        "Peraturan Komisi Informasi Nomor 1 Tahun 2021 tentang Standar Layanan Informasi Publik",
    ),
    "DPMD": AgencyDefaults(
        "429.118",
        "Kantor desa dengan loket pelayanan, komputer, printer, stempel desa, ruang tunggu",
        "Perangkat desa yang memahami administrasi desa dan aplikasi Smart Kampung",
        3,
        "Undang-Undang Nomor 6 Tahun 2014 tentang Desa\nPermendagri Nomor 47 Tahun 2016 tentang Administrasi Pemerintahan Desa",
    ),
}


# Mamuju Tengah's agencies that do what a Banyuwangi agency does.
AGENCY_ALIASES = {"DISDUKCAPIL": "DISPENDUKCAPIL", "DPUPR": "DPUCKPP", "DISPERINDAG": "DISKOPUMP"}


# --- services -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoService:
    code: str
    agency: str
    name: str
    category: str
    summary: str
    keywords: str
    channels: tuple[str, ...]
    requirements: list[dict[str, Any]]
    steps: list[str]
    time: tuple[int, str]
    product: str
    fields: list[dict[str, Any]]
    fee: int = 0
    fee_basis: str = ""
    legal_extra: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


ALL = ("online", "service_mall", "village_office")
MALL = ("online", "service_mall")
DESK = ("service_mall",)
VILLAGE_ONLY = ("online", "village_office")

FREE = "Tidak dipungut biaya (gratis)."

BANYUWANGI_SERVICES: list[DemoService] = [
    DemoService(
        "KTP-EL",
        "DISPENDUKCAPIL",
        "Penerbitan KTP Elektronik",
        "civil_registration",
        "KTP-el baru, penggantian karena rusak, hilang atau perubahan data.",
        "ktp, ktp-el, e-ktp, kartu tanda penduduk, identitas, hilang, rusak",
        ALL,
        [
            r("Telah berusia 17 tahun, sudah kawin atau pernah kawin", upload=False),
            r("Fotokopi Kartu Keluarga"),
            r("Surat keterangan kehilangan dari kepolisian (jika hilang)", required=False),
            r("KTP-el yang rusak (jika rusak)", required=False, upload=False),
        ],
        [
            "Pemohon mengajukan permohonan melalui aplikasi atau loket MPP/kantor desa",
            "Petugas memverifikasi data pada SIAK",
            "Perekaman sidik jari, iris mata, foto dan tanda tangan (untuk perekaman baru)",
            "Pencetakan dan penyerahan KTP-el kepada pemohon",
        ],
        (1, "working_days"),
        "Kartu Tanda Penduduk Elektronik (KTP-el)",
        [
            f_nik(),
            *CONTACT,
            f_choice(
                "reason",
                "Alasan permohonan",
                "Reason",
                [
                    ("new", "Perekaman baru", "First issue"),
                    ("lost", "Hilang", "Lost"),
                    ("damaged", "Rusak", "Damaged"),
                    ("change", "Perubahan data", "Change of data"),
                ],
            ),
        ],
        fee_basis=FREE + " Pasal 79A Undang-Undang Nomor 24 Tahun 2013.",
    ),
    DemoService(
        "KK",
        "DISPENDUKCAPIL",
        "Penerbitan Kartu Keluarga",
        "civil_registration",
        "Kartu Keluarga baru, perubahan susunan keluarga, atau penggantian karena hilang/rusak.",
        "kk, kartu keluarga, pecah kk, tambah anggota keluarga",
        ALL,
        [
            r("Kartu Keluarga lama (untuk perubahan)", required=False),
            r("Buku nikah/akta perkawinan atau akta cerai"),
            r("Surat keterangan pindah (bagi pendatang)", required=False),
        ],
        [
            "Pemohon mengisi formulir F-1.01 secara daring atau di loket",
            "Petugas memverifikasi dan memvalidasi data",
            "Kepala Dinas menandatangani KK secara elektronik",
            "KK dicetak mandiri oleh pemohon atau diambil di loket",
        ],
        (1, "working_days"),
        "Kartu Keluarga (dokumen elektronik bertanda tangan elektronik)",
        [
            f_nik("nik", "NIK kepala keluarga", "NIK of the head of family"),
            *CONTACT,
            KK_NUMBER,
            VILLAGE,
            ADDRESS,
        ],
        fee_basis=FREE + " Pasal 79A Undang-Undang Nomor 24 Tahun 2013.",
    ),
    DemoService(
        "AKTA-LAHIR",
        "DISPENDUKCAPIL",
        "Penerbitan Akta Kelahiran",
        "civil_registration",
        "Akta kelahiran untuk kelahiran baru maupun yang terlambat dilaporkan.",
        "akta kelahiran, akte lahir, kelahiran, bayi, anak",
        ALL,
        [
            r("Surat keterangan lahir dari rumah sakit, puskesmas, bidan atau kepala desa", group="kelahiran"),
            r("Kartu Keluarga orang tua"),
            r("Buku nikah/akta perkawinan orang tua", required=False),
            r("Surat Pernyataan Tanggung Jawab Mutlak (SPTJM) bila tidak ada surat keterangan lahir", group="kelahiran"),
        ],
        [
            "Pemohon mengunggah berkas melalui aplikasi atau menyerahkannya di loket",
            "Petugas memverifikasi berkas dan mencatat kelahiran di SIAK",
            "Akta ditandatangani secara elektronik",
            "Akta dikirim ke email pemohon atau dicetak di loket",
        ],
        (1, "working_days"),
        "Kutipan Akta Kelahiran",
        [
            f_nik("nik", "NIK pelapor", "Reporter's NIK"),
            *CONTACT,
            f_text("child_name", "Nama anak", "Child's name", max_length=100),
            f_date("birth_date", "Tanggal lahir anak", "Child's date of birth"),
            f_text("birth_place", "Tempat lahir", "Place of birth", max_length=100),
            f_choice("sex", "Jenis kelamin anak", "Child's sex", [("m", "Laki-laki", "Male"), ("f", "Perempuan", "Female")]),
        ],
        fee_basis=FREE + " Pasal 79A Undang-Undang Nomor 24 Tahun 2013.",
    ),
    DemoService(
        "AKTA-MATI",
        "DISPENDUKCAPIL",
        "Penerbitan Akta Kematian",
        "civil_registration",
        "Pencatatan kematian penduduk dan penerbitan kutipan akta kematian.",
        "akta kematian, meninggal, surat kematian, wafat",
        ALL,
        [
            r("Surat keterangan kematian dari rumah sakit, dokter atau kepala desa"),
            r("Kartu Keluarga dan KTP-el almarhum"),
            r("KTP-el pelapor"),
        ],
        [
            "Ahli waris atau keluarga melapor melalui aplikasi, kantor desa atau loket",
            "Petugas memverifikasi dan mencatat kematian",
            "Akta kematian dan Kartu Keluarga baru diterbitkan bersamaan",
        ],
        (1, "working_days"),
        "Kutipan Akta Kematian dan Kartu Keluarga yang diperbarui",
        [
            f_nik("nik", "NIK pelapor", "Reporter's NIK"),
            *CONTACT,
            f_nik("deceased_nik", "NIK almarhum/almarhumah", "NIK of the deceased"),
            f_date("death_date", "Tanggal meninggal", "Date of death"),
        ],
        fee_basis=FREE + " Pasal 79A Undang-Undang Nomor 24 Tahun 2013.",
    ),
    DemoService(
        "KIA",
        "DISPENDUKCAPIL",
        "Penerbitan Kartu Identitas Anak (KIA)",
        "civil_registration",
        "Kartu identitas untuk anak di bawah 17 tahun.",
        "kia, kartu identitas anak, kartu anak",
        ALL,
        [
            r("Kutipan akta kelahiran anak"),
            r("Kartu Keluarga orang tua"),
            r("Pas foto berwarna anak ukuran 2x3 (untuk usia 5 tahun ke atas)", required=False),
        ],
        ["Orang tua mengajukan permohonan", "Petugas memverifikasi data anak", "KIA dicetak dan diserahkan"],
        (1, "working_days"),
        "Kartu Identitas Anak",
        [
            f_nik("nik", "NIK orang tua", "Parent's NIK"),
            *CONTACT,
            f_nik("child_nik", "NIK anak", "Child's NIK"),
        ],
        fee_basis=FREE + " Permendagri Nomor 2 Tahun 2016 tentang Kartu Identitas Anak.",
    ),
    DemoService(
        "PINDAH",
        "DISPENDUKCAPIL",
        "Surat Keterangan Pindah (SKPWNI)",
        "civil_registration",
        "Surat keterangan pindah datang dan pindah keluar antar kabupaten/kota.",
        "pindah, skpwni, surat pindah, mutasi penduduk, pindah domisili",
        ALL,
        [r("Kartu Keluarga"), r("KTP-el"), r("Alamat tujuan yang jelas", upload=False)],
        [
            "Pemohon mengajukan permohonan pindah",
            "Petugas memverifikasi dan menerbitkan SKPWNI",
            "Data penduduk diperbarui di daerah tujuan",
        ],
        (1, "working_days"),
        "Surat Keterangan Pindah Warga Negara Indonesia (SKPWNI)",
        [
            f_nik(),
            *CONTACT,
            f_text("destination", "Alamat tujuan", "Destination address", max_length=200),
            f_choice(
                "kind",
                "Jenis kepindahan",
                "Kind of move",
                [("individual", "Perorangan", "Individual"), ("family", "Seluruh keluarga", "Whole family")],
            ),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "AKTA-KAWIN",
        "DISPENDUKCAPIL",
        "Pencatatan Perkawinan (non-Muslim)",
        "civil_registration",
        "Pencatatan perkawinan bagi penduduk yang beragama selain Islam dan penghayat kepercayaan.",
        "akta perkawinan, nikah, kawin, pencatatan perkawinan",
        DESK,
        [
            r("Surat keterangan perkawinan dari pemuka agama/penghayat"),
            r("KTP-el dan Kartu Keluarga kedua mempelai"),
            r("Pas foto berdampingan ukuran 4x6"),
            r("Dua orang saksi dewasa", upload=False),
        ],
        [
            "Mempelai mendaftarkan perkawinan paling lambat 60 hari setelah perkawinan",
            "Petugas memverifikasi berkas dan mencatat perkawinan",
            "Kutipan akta perkawinan diserahkan",
        ],
        (3, "working_days"),
        "Kutipan Akta Perkawinan",
        [
            f_nik("groom_nik", "NIK mempelai pria", "Groom's NIK"),
            f_nik("bride_nik", "NIK mempelai wanita", "Bride's NIK"),
            *CONTACT,
            f_date("wedding_date", "Tanggal perkawinan", "Date of the wedding"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "PBG",
        "DPMPTSP",
        "Persetujuan Bangunan Gedung (PBG)",
        "licensing",
        "Persetujuan untuk membangun baru, mengubah, memperluas atau merawat bangunan gedung.",
        "pbg, imb, izin mendirikan bangunan, bangunan gedung, rumah, ruko",
        MALL,
        [
            r("Data pemohon dan data tanah (sertifikat atau bukti kepemilikan)"),
            r("Dokumen rencana teknis: gambar arsitektur, struktur dan utilitas"),
            r("Keterangan Rencana Kota (KRK)"),
            r("Persetujuan lingkungan (SPPL/UKL-UPL) sesuai skala bangunan", required=False),
        ],
        [
            "Pemohon mendaftar di SIMBG",
            "Tim Profesi Ahli/Tim Penilai Teknis memeriksa dokumen rencana teknis",
            "Pemohon memperbaiki dokumen bila diminta",
            "Penetapan retribusi dan pembayaran SKRD",
            "PBG diterbitkan melalui SIMBG",
        ],
        (28, "working_days"),
        "Persetujuan Bangunan Gedung (PBG)",
        [
            f_nik(),
            *CONTACT,
            VILLAGE,
            f_text("land_certificate", "Nomor sertifikat tanah", "Land certificate number"),
            f_number("floor_area", "Luas lantai bangunan (m²)", "Floor area (m²)", minimum=1, maximum=100000),
            f_choice(
                "function",
                "Fungsi bangunan",
                "Use of the building",
                [
                    ("house", "Hunian", "Housing"),
                    ("business", "Usaha", "Business"),
                    ("social", "Sosial budaya", "Social"),
                    ("mixed", "Campuran", "Mixed"),
                ],
            ),
        ],
        fee_basis="Layanan tidak dipungut biaya; retribusi PBG dibayar terpisah menurut SKRD sesuai "
        "Peraturan Daerah tentang Pajak Daerah dan Retribusi Daerah.",
        legal_extra="Peraturan Menteri PUPR Nomor 6 Tahun 2023",
    ),
    DemoService(
        "NIB",
        "DPMPTSP",
        "Pendampingan Nomor Induk Berusaha (NIB) melalui OSS",
        "licensing",
        "Bantuan membuat akun OSS dan menerbitkan Nomor Induk Berusaha untuk usaha mikro dan kecil.",
        "nib, oss, izin usaha, umkm, usaha mikro, perizinan berusaha",
        ALL,
        [r("KTP-el pemilik usaha"), r("Nomor HP dan email aktif", upload=False), r("NPWP (jika ada)", required=False)],
        [
            "Pemohon datang ke loket atau menghubungi petugas secara daring",
            "Petugas membantu pembuatan akun OSS",
            "Pemohon mengisi data usaha bersama petugas",
            "NIB terbit dan dicetak",
        ],
        (60, "minutes"),
        "Nomor Induk Berusaha (NIB)",
        [
            f_nik(),
            *CONTACT,
            f_text("business_name", "Nama usaha", "Business name"),
            f_text("business_activity", "Kegiatan usaha (KBLI bila tahu)", "Business activity", max_length=200),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "REKLAME",
        "DPMPTSP",
        "Izin Penyelenggaraan Reklame",
        "licensing",
        "Izin memasang reklame papan, baliho, spanduk atau videotron.",
        "reklame, baliho, spanduk, papan nama, iklan, billboard",
        MALL,
        [
            r("KTP-el pemohon"),
            r("Desain dan ukuran reklame"),
            r("Foto lokasi pemasangan"),
            r("Surat persetujuan pemilik lahan/bangunan", required=False),
        ],
        [
            "Pemohon mengajukan permohonan",
            "Tim teknis meninjau lokasi",
            "Penetapan pajak reklame oleh Bapenda",
            "Izin diterbitkan setelah pajak dibayar",
        ],
        (3, "working_days"),
        "Izin penyelenggaraan reklame",
        [
            f_nik(),
            *CONTACT,
            f_text("location", "Lokasi pemasangan", "Location"),
            f_choice(
                "kind",
                "Jenis reklame",
                "Kind of advertisement",
                [
                    ("board", "Papan/billboard", "Board/billboard"),
                    ("banner", "Spanduk/baliho", "Banner"),
                    ("video", "Videotron", "Video screen"),
                ],
            ),
            f_number("size", "Ukuran (m²)", "Size (m²)", minimum=1, maximum=500),
        ],
        fee_basis="Layanan izin tidak dipungut biaya; pajak reklame dibayar terpisah sesuai Peraturan Daerah.",
    ),
    DemoService(
        "SIP-DOKTER",
        "DPMPTSP",
        "Surat Izin Praktik Dokter",
        "licensing",
        "Izin praktik bagi dokter dan dokter gigi di fasilitas pelayanan kesehatan.",
        "sip, izin praktik, dokter, dokter gigi, tenaga medis",
        MALL,
        [
            r("Surat Tanda Registrasi (STR) yang berlaku"),
            r("Surat keterangan dari fasilitas pelayanan kesehatan"),
            r("Rekomendasi organisasi profesi"),
            r("Pas foto 4x6"),
        ],
        ["Pemohon mengajukan permohonan daring", "Verifikasi oleh Dinas Kesehatan", "Izin ditandatangani elektronik"],
        (5, "working_days"),
        "Surat Izin Praktik (SIP)",
        [
            f_nik(),
            *CONTACT,
            f_text("str_number", "Nomor STR", "Registration (STR) number"),
            f_text("facility", "Tempat praktik", "Place of practice"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "SPP-IRT",
        "DPMPTSP",
        "Sertifikat Produksi Pangan Industri Rumah Tangga (SPP-IRT)",
        "licensing",
        "Sertifikat untuk pangan olahan produksi rumah tangga.",
        "pirt, spp-irt, pangan, makanan rumahan, umkm",
        MALL,
        [r("NIB"), r("Sertifikat penyuluhan keamanan pangan"), r("Label produk")],
        ["Pemohon mendaftar melalui OSS", "Pemeriksaan sarana produksi oleh Dinas Kesehatan", "SPP-IRT diterbitkan"],
        (14, "working_days"),
        "Sertifikat Produksi Pangan Industri Rumah Tangga",
        [
            f_nik(),
            *CONTACT,
            f_text("product_name", "Nama produk", "Product name"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "SK-SEHAT",
        "DINKES",
        "Surat Keterangan Sehat",
        "health",
        "Pemeriksaan kesehatan umum dan surat keterangan sehat di puskesmas.",
        "surat sehat, keterangan sehat, puskesmas, kesehatan, melamar kerja",
        DESK,
        [r("KTP-el atau kartu identitas lain", upload=False)],
        [
            "Pasien mendaftar di loket puskesmas",
            "Pemeriksaan fisik oleh dokter",
            "Pembayaran retribusi di kasir",
            "Surat keterangan sehat diserahkan",
        ],
        (30, "minutes"),
        "Surat Keterangan Sehat",
        [f_nik(), *CONTACT, f_text("purpose", "Keperluan", "Purpose")],
        fee=20000,
        fee_basis="Peraturan Daerah Kabupaten Banyuwangi tentang Pajak Daerah dan Retribusi Daerah "
        "(retribusi pelayanan kesehatan di puskesmas).",
    ),
    DemoService(
        "LAIK-HIGIENE",
        "DINKES",
        "Sertifikat Laik Higiene Sanitasi",
        "health",
        "Sertifikat untuk rumah makan, jasa boga dan depot air minum.",
        "laik higiene, sanitasi, rumah makan, depot air, jasa boga",
        MALL,
        [r("NIB"), r("Hasil uji laboratorium sampel makanan/air"), r("Sertifikat kursus higiene penjamah")],
        ["Permohonan diajukan", "Inspeksi kesehatan lingkungan ke lokasi", "Uji laboratorium", "Sertifikat diterbitkan"],
        (14, "working_days"),
        "Sertifikat Laik Higiene Sanitasi",
        [
            f_nik(),
            *CONTACT,
            f_text("business_name", "Nama usaha", "Business name"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "SKTM",
        "DINSOS",
        "Surat Keterangan Tidak Mampu (SKTM)",
        "social",
        "Keterangan tidak mampu untuk keringanan biaya pendidikan, kesehatan atau bantuan sosial.",
        "sktm, tidak mampu, miskin, keringanan biaya, bantuan",
        ALL,
        [r("Surat pengantar kepala desa/lurah"), r("Kartu Keluarga"), r("KTP-el")],
        ["Pemohon mengajukan permohonan dengan pengantar desa", "Petugas memeriksa data pada DTKS", "SKTM diterbitkan"],
        (1, "working_days"),
        "Surat Keterangan Tidak Mampu",
        [
            f_nik(),
            *CONTACT,
            VILLAGE,
            f_choice(
                "purpose",
                "Keperluan",
                "Purpose",
                [
                    ("school", "Pendidikan", "Education"),
                    ("health", "Kesehatan", "Health"),
                    ("aid", "Bantuan sosial", "Social aid"),
                ],
            ),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "DTKS",
        "DINSOS",
        "Pendaftaran Data Terpadu Kesejahteraan Sosial (DTKS)",
        "social",
        "Usulan masuk DTKS sebagai dasar penerima bantuan sosial.",
        "dtks, bansos, bantuan sosial, pkh, data kemiskinan",
        VILLAGE_ONLY,
        [r("KTP-el dan Kartu Keluarga"), r("Foto rumah tampak depan")],
        [
            "Warga mendaftar di desa atau secara daring",
            "Musyawarah desa membahas usulan",
            "Verifikasi dan validasi oleh Dinas Sosial",
            "Usulan dikirim ke Kementerian Sosial",
        ],
        (14, "working_days"),
        "Tanda terima usulan DTKS",
        [f_nik(), *CONTACT, VILLAGE, KK_NUMBER],
        fee_basis=FREE,
    ),
    DemoService(
        "PBI-JK",
        "DINSOS",
        "Rekomendasi Penerima Bantuan Iuran Jaminan Kesehatan",
        "social",
        "Rekomendasi agar iuran BPJS Kesehatan ditanggung pemerintah daerah.",
        "pbi, bpjs, jaminan kesehatan, kis, iuran",
        ALL,
        [r("KTP-el dan Kartu Keluarga"), r("Surat Keterangan Tidak Mampu atau terdaftar di DTKS")],
        ["Pemohon mengajukan permohonan", "Verifikasi data DTKS", "Rekomendasi diterbitkan dan dikirim ke BPJS"],
        (3, "working_days"),
        "Surat rekomendasi PBI-JK",
        [f_nik(), *CONTACT, KK_NUMBER],
        fee_basis=FREE,
    ),
    DemoService(
        "KRK",
        "DPUCKPP",
        "Keterangan Rencana Kota (KRK)",
        "licensing",
        "Informasi ketentuan tata ruang dan tata bangunan pada suatu lokasi.",
        "krk, tata ruang, rencana kota, garis sempadan, kkpr",
        MALL,
        [r("Bukti kepemilikan tanah"), r("Peta lokasi/titik koordinat")],
        ["Permohonan diajukan", "Pemeriksaan peta rencana tata ruang", "KRK diterbitkan"],
        (5, "working_days"),
        "Keterangan Rencana Kota",
        [
            f_nik(),
            *CONTACT,
            VILLAGE,
            f_text("coordinates", "Titik koordinat", "Coordinates", max_length=60),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "TERA-ULANG",
        "DISKOPUMP",
        "Tera dan Tera Ulang Alat Ukur, Takar, Timbang",
        "other",
        "Pengujian dan pembubuhan tanda tera pada timbangan, takaran dan alat ukur.",
        "tera, tera ulang, timbangan, metrologi, pasar, spbu",
        DESK,
        [r("Alat ukur, takar, timbang yang akan ditera", upload=False), r("Identitas pemilik", upload=False)],
        ["Pemilik mendaftarkan alat", "Penera menguji alat", "Pembayaran retribusi", "Tanda tera dibubuhkan"],
        (1, "working_days"),
        "Tanda tera sah dan surat keterangan hasil pengujian",
        [f_nik(), *CONTACT, f_number("count", "Jumlah alat", "Number of instruments", minimum=1, maximum=500)],
        fee=10000,
        fee_basis="Peraturan Daerah tentang Pajak Daerah dan Retribusi Daerah (retribusi pelayanan tera/tera ulang, per alat).",
    ),
    DemoService(
        "UJI-KIR",
        "DISHUB",
        "Pengujian Berkala Kendaraan Bermotor (Uji KIR)",
        "transport",
        "Uji berkala kendaraan angkutan barang dan penumpang setiap 6 bulan.",
        "kir, uji kir, pengujian kendaraan, truk, angkutan, bukti lulus uji",
        DESK,
        [r("STNK yang berlaku"), r("Bukti lulus uji sebelumnya (uji ulang)", required=False), r("KTP-el pemilik")],
        [
            "Pendaftaran dan pembayaran retribusi",
            "Pemeriksaan emisi, rem, lampu dan dimensi",
            "Penerbitan kartu bukti lulus uji elektronik (BLUe)",
        ],
        (120, "minutes"),
        "Kartu Bukti Lulus Uji elektronik (BLUe)",
        [
            f_nik(),
            *CONTACT,
            f_text("plate", "Nomor polisi", "Registration plate", max_length=12, regex=r"^[A-Z]{1,2} ?\d{1,4} ?[A-Z]{0,3}$"),
        ],
        fee=75000,
        fee_basis="Peraturan Daerah tentang Pajak Daerah dan Retribusi Daerah (retribusi pengujian kendaraan bermotor).",
    ),
    DemoService(
        "SPPL",
        "DLH",
        "Penerbitan Surat Pernyataan Pengelolaan Lingkungan (SPPL)",
        "environment",
        "Pernyataan kesanggupan mengelola lingkungan bagi usaha berisiko rendah.",
        "sppl, lingkungan, ukl-upl, amdal, persetujuan lingkungan",
        MALL,
        [r("NIB"), r("Deskripsi kegiatan usaha")],
        ["Pelaku usaha mengisi SPPL melalui OSS/AMDALNET", "Verifikasi oleh DLH", "SPPL terbit"],
        (3, "working_days"),
        "SPPL terverifikasi",
        [f_nik(), *CONTACT, f_text("business_name", "Nama usaha", "Business name")],
        fee_basis=FREE,
    ),
    DemoService(
        "PBB-MUTASI",
        "BAPENDA",
        "Mutasi dan Pembetulan SPPT PBB-P2",
        "tax",
        "Balik nama, pemecahan atau pembetulan data Surat Pemberitahuan Pajak Terutang PBB-P2.",
        "pbb, sppt, balik nama pbb, pajak bumi dan bangunan, mutasi",
        ALL,
        [
            r("SPPT PBB tahun terakhir"),
            r("Bukti kepemilikan tanah (sertifikat/akta jual beli)"),
            r("KTP-el wajib pajak"),
            r("Bukti lunas PBB tahun terakhir"),
        ],
        ["Wajib pajak mengajukan permohonan", "Penelitian data dan lapangan bila perlu", "SPPT baru diterbitkan"],
        (5, "working_days"),
        "SPPT PBB-P2 yang diperbarui",
        [
            f_nik(),
            *CONTACT,
            f_text("nop", "Nomor Objek Pajak (NOP)", "Tax object number (NOP)", max_length=24, regex=r"^[0-9.\- ]{18,24}$"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "BPHTB",
        "BAPENDA",
        "Validasi BPHTB",
        "tax",
        "Penelitian dan validasi Bea Perolehan Hak atas Tanah dan Bangunan.",
        "bphtb, validasi, jual beli tanah, notaris, ppat",
        MALL,
        [r("SSPD BPHTB"), r("Fotokopi SPPT PBB tahun berjalan"), r("Akta/draf akta peralihan hak")],
        ["PPAT/wajib pajak mengajukan e-BPHTB", "Penelitian nilai perolehan", "Validasi dan pembayaran"],
        (1, "working_days"),
        "SSPD BPHTB tervalidasi",
        [
            f_nik(),
            *CONTACT,
            f_text("nop", "Nomor Objek Pajak (NOP)", "Tax object number (NOP)", max_length=24),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "INFO-PUBLIK",
        "DISKOMINFO",
        "Permohonan Informasi Publik",
        "other",
        "Permintaan informasi publik kepada PPID Kabupaten Banyuwangi.",
        "ppid, informasi publik, keterbukaan informasi, data",
        ("online",),
        [
            r("Identitas pemohon (KTP-el atau akta badan hukum)"),
            r("Rincian informasi yang diminta dan tujuan penggunaannya", upload=False),
        ],
        [
            "Pemohon mengajukan permohonan",
            "PPID memeriksa dan mengoordinasikan dengan OPD pengelola informasi",
            "Pemberitahuan tertulis dan penyerahan informasi",
        ],
        (10, "working_days"),
        "Informasi publik yang diminta atau surat pemberitahuan penolakan",
        [
            f_nik(),
            *CONTACT,
            f_text("information", "Informasi yang diminta", "Information requested", max_length=1000),
            f_text("purpose", "Tujuan penggunaan", "Purpose", max_length=500),
        ],
        fee_basis=FREE + " Biaya salinan dapat dikenakan sesuai standar biaya Komisi Informasi.",
    ),
    DemoService(
        "SK-DOMISILI",
        "DPMD",
        "Surat Keterangan Domisili",
        "village",
        "Keterangan tempat tinggal dari kepala desa/lurah.",
        "domisili, surat keterangan domisili, tempat tinggal, desa",
        VILLAGE_ONLY,
        [r("KTP-el dan Kartu Keluarga"), r("Surat pengantar RT/RW")],
        [
            "Pemohon mengajukan permohonan di kantor desa atau daring",
            "Perangkat desa memverifikasi",
            "Surat ditandatangani kepala desa",
        ],
        (60, "minutes"),
        "Surat Keterangan Domisili",
        [f_nik(), *CONTACT, VILLAGE, ADDRESS],
        fee_basis=FREE,
        legal_extra="Peraturan Desa tentang Pelayanan Administrasi Desa",
    ),
    DemoService(
        "SKU",
        "DPMD",
        "Surat Keterangan Usaha",
        "village",
        "Keterangan bahwa warga memiliki usaha di desa, misalnya untuk kredit usaha rakyat.",
        "sku, surat keterangan usaha, kur, usaha, desa",
        VILLAGE_ONLY,
        [r("KTP-el dan Kartu Keluarga"), r("Foto tempat usaha")],
        ["Pemohon mengajukan permohonan", "Perangkat desa meninjau usaha bila perlu", "Surat ditandatangani kepala desa"],
        (60, "minutes"),
        "Surat Keterangan Usaha",
        [
            f_nik(),
            *CONTACT,
            VILLAGE,
            f_text("business", "Jenis usaha", "Kind of business"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "PENGANTAR-SKCK",
        "DPMD",
        "Surat Pengantar SKCK",
        "village",
        "Surat pengantar desa untuk mengurus SKCK di kepolisian.",
        "skck, pengantar skck, kelakuan baik, polisi",
        VILLAGE_ONLY,
        [r("KTP-el dan Kartu Keluarga"), r("Pas foto 4x6 latar merah")],
        ["Pemohon datang atau mengajukan daring", "Surat pengantar dicetak dan ditandatangani"],
        (30, "minutes"),
        "Surat pengantar SKCK",
        [f_nik(), *CONTACT, VILLAGE, f_text("purpose", "Keperluan", "Purpose")],
        fee_basis=FREE,
    ),
    DemoService(
        "SK-AHLI-WARIS",
        "DPMD",
        "Surat Keterangan Ahli Waris",
        "village",
        "Keterangan ahli waris yang diketahui kepala desa dan camat.",
        "ahli waris, warisan, waris, desa",
        VILLAGE_ONLY,
        [r("Akta kematian pewaris"), r("KTP-el dan KK seluruh ahli waris"), r("Surat pernyataan ahli waris")],
        [
            "Ahli waris mengajukan permohonan",
            "Perangkat desa memverifikasi dan menghadirkan saksi",
            "Ditandatangani kepala desa dan diketahui camat",
        ],
        (3, "working_days"),
        "Surat Keterangan Ahli Waris",
        [
            f_nik(),
            *CONTACT,
            VILLAGE,
            f_nik("deceased_nik", "NIK pewaris", "NIK of the deceased"),
        ],
        fee_basis=FREE,
    ),
    DemoService(
        "SK-BELUM-MENIKAH",
        "DPMD",
        "Surat Keterangan Belum Menikah",
        "village",
        "Keterangan status belum pernah menikah dari kepala desa.",
        "belum menikah, status, lajang, desa",
        VILLAGE_ONLY,
        [r("KTP-el dan Kartu Keluarga"), r("Surat pengantar RT/RW")],
        ["Pemohon mengajukan permohonan", "Perangkat desa memverifikasi data", "Surat ditandatangani kepala desa"],
        (60, "minutes"),
        "Surat Keterangan Belum Menikah",
        [f_nik(), *CONTACT, VILLAGE],
        fee_basis=FREE,
    ),
]

# Mamuju Tengah's own five (its own agencies and decree numbers).
MAMUJU_TENGAH_SERVICES: list[DemoService] = [
    DemoService(
        "KTP-EL",
        "DISDUKCAPIL",
        "Pelayanan KTP Elektronik",
        "civil_registration",
        "Perekaman dan pencetakan KTP-el, termasuk jemput bola ke desa.",
        "ktp, ktp-el, e-ktp, kartu tanda penduduk, jemput bola",
        ("service_mall", "village_office"),
        [r("Berusia 17 tahun atau sudah/pernah kawin", upload=False), r("Fotokopi Kartu Keluarga")],
        ["Pemohon datang ke Disdukcapil atau layanan jemput bola", "Perekaman biometrik", "Pencetakan KTP-el"],
        (3, "working_days"),
        "KTP Elektronik",
        [f_nik(), *CONTACT],
        fee_basis=FREE,
    ),
    DemoService(
        "KK",
        "DISDUKCAPIL",
        "Pelayanan Kartu Keluarga",
        "civil_registration",
        "Penerbitan dan perubahan Kartu Keluarga.",
        "kk, kartu keluarga",
        ("service_mall", "village_office"),
        [r("Kartu Keluarga lama"), r("Buku nikah/akta perkawinan")],
        ["Pemohon mengisi formulir F-1.01", "Verifikasi data", "KK dicetak"],
        (3, "working_days"),
        "Kartu Keluarga",
        [f_nik("nik", "NIK kepala keluarga", "NIK of the head of family"), *CONTACT, KK_NUMBER],
        fee_basis=FREE,
    ),
    DemoService(
        "SK-SEHAT",
        "DINKES",
        "Surat Keterangan Sehat",
        "health",
        "Surat keterangan sehat dari puskesmas.",
        "surat sehat, keterangan sehat, puskesmas",
        DESK,
        [r("KTP-el", upload=False)],
        ["Pendaftaran di puskesmas", "Pemeriksaan oleh dokter", "Surat diterbitkan"],
        (60, "minutes"),
        "Surat Keterangan Sehat",
        [f_nik(), *CONTACT, f_text("purpose", "Keperluan", "Purpose")],
        fee=15000,
        fee_basis="Peraturan Daerah Kabupaten Mamuju Tengah tentang Pajak Daerah dan Retribusi Daerah.",
    ),
    DemoService(
        "SIP-BIDAN",
        "DPMPTSP",
        "Surat Izin Praktik Bidan",
        "licensing",
        "Izin praktik bidan di fasilitas kesehatan atau praktik mandiri.",
        "sip, izin praktik, bidan",
        MALL,
        [r("STR bidan yang berlaku"), r("Rekomendasi IBI"), r("Surat keterangan tempat praktik")],
        ["Permohonan diajukan", "Verifikasi Dinas Kesehatan", "Izin diterbitkan"],
        (7, "working_days"),
        "Surat Izin Praktik Bidan",
        [f_nik(), *CONTACT, f_text("str_number", "Nomor STR", "Registration (STR) number")],
        fee_basis=FREE,
    ),
    DemoService(
        "SKTM",
        "DINSOS",
        "Surat Keterangan Tidak Mampu",
        "social",
        "Keterangan tidak mampu untuk keringanan biaya.",
        "sktm, tidak mampu, keringanan biaya",
        ("service_mall", "village_office"),
        [r("Surat pengantar kepala desa"), r("Kartu Keluarga")],
        ["Permohonan dengan pengantar desa", "Pemeriksaan DTKS", "SKTM diterbitkan"],
        (2, "working_days"),
        "Surat Keterangan Tidak Mampu",
        [f_nik(), *CONTACT],
        fee_basis=FREE,
    ),
]

# What Mamuju Tengah copies from Banyuwangi: (Banyuwangi code, receiving agency, publish with its own decree?).
MAMUJU_TENGAH_COPIES: list[tuple[str, str, bool]] = [
    ("AKTA-LAHIR", "DISDUKCAPIL", True),
    ("AKTA-MATI", "DISDUKCAPIL", True),
    ("KIA", "DISDUKCAPIL", True),
    ("NIB", "DPMPTSP", True),
    ("PBG", "DPMPTSP", False),
    ("REKLAME", "DPMPTSP", False),
    ("UJI-KIR", "DISHUB", False),
    ("INFO-PUBLIK", "DISKOMINFO", True),
    ("SK-DOMISILI", "DPMD", False),
    ("SKU", "DPMD", False),
]

BANYUWANGI_DECREE_DATE = dt.date(2025, 1, 6)
BANYUWANGI_EFFECTIVE = dt.date(2025, 1, 13)
MAMUJU_TENGAH_DECREE_DATE = dt.date(2025, 7, 1)
MAMUJU_TENGAH_EFFECTIVE = dt.date(2025, 7, 7)

COMPLAINTS = (
    "Pengaduan, saran dan masukan dapat disampaikan melalui:\n"
    "1. SP4N-LAPOR! (www.lapor.go.id atau SMS 1708)\n"
    "2. Menu pengaduan aplikasi Pendopo\n"
    "3. Kotak saran dan petugas pengaduan di tempat pelayanan\n"
    "4. Surat atau email resmi {agency}\n"
    "Pengaduan ditindaklanjuti paling lama 5 (lima) hari kerja sejak diterima."
)
SUPERVISION = "Pengawasan oleh atasan langsung secara berjenjang dan oleh Inspektorat Kabupaten."
GUARANTEE = "Pelayanan diberikan sesuai standar pelayanan ini; bila tidak sesuai, pengguna layanan berhak mengadu."
SECURITY = "Data pribadi pemohon dijaga kerahasiaannya sesuai UU 27/2022; lingkungan pelayanan aman dan nyaman."
EVALUATION = "Evaluasi kinerja pelaksana setiap 6 (enam) bulan melalui Survei Kepuasan Masyarakat dan penilaian atasan."


def standard_content(service: DemoService, agency_name: str, decree_number: str, decree_date: dt.date) -> dict[str, Any]:
    defaults = AGENCIES.get(AGENCY_ALIASES.get(service.agency, service.agency)) or AGENCIES["DPMPTSP"]
    legal = COMMON_LEGAL + "\n" + defaults.legal_basis + (("\n" + service.legal_extra) if service.legal_extra else "")
    return {
        "decree_number": decree_number,
        "decree_date": decree_date,
        "requirements": service.requirements,
        "procedure": "\n".join(f"{n}. {step}" for n, step in enumerate(service.steps, start=1)),
        "time_limit_value": service.time[0],
        "time_limit_unit": service.time[1],
        "fee": service.fee,
        "fee_basis": service.fee_basis or FREE,
        "product": service.product,
        "complaint_handling": COMPLAINTS.format(agency=agency_name),
        "legal_basis": legal,
        "facilities": defaults.facilities,
        "officer_competence": defaults.competence,
        "internal_supervision": SUPERVISION,
        "officer_count": defaults.officers,
        "service_guarantee": GUARANTEE,
        "security_guarantee": SECURITY,
        "performance_evaluation": EVALUATION,
        "form": {"fields": service.fields},
    }
