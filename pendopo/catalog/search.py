"""How the catalogue is searched: words, the abbreviations citizens type, whole words first.

A service's `search_text` holds its code, name, keywords, summary and agency as lowercase words
separated by single spaces, with a space at each end (" penerbitan ktp el "), followed by the
long forms of the abbreviations it contains and the abbreviations of the long forms it contains
("ktp" brings "kartu tanda penduduk" and the reverse). So a whole word is `" word "` in the text,
and a substring is just `word`.

A query is cut into words the same way (at spaces and punctuation, "KTP-el" is "ktp el"). Every
word must be found (AND), as a substring or through its abbreviation's long form; the services
where more words are found as whole words come first, so "kk" finds "Kartu Keluarga" before a
service that merely has "kk" inside a longer word.
"""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

MAX_TERMS = 8

# The abbreviations of Indonesian public services that citizens type for the service's name.
ABBREVIATIONS = {
    "adminduk": "administrasi kependudukan",
    "bphtb": "bea perolehan hak atas tanah dan bangunan",
    "capil": "pencatatan sipil",
    "dukcapil": "kependudukan dan pencatatan sipil",
    "imb": "izin mendirikan bangunan",
    "kia": "kartu identitas anak",
    "kk": "kartu keluarga",
    "ktp": "kartu tanda penduduk",
    "mpp": "mal pelayanan publik",
    "nib": "nomor induk berusaha",
    "npwp": "nomor pokok wajib pajak",
    "oss": "online single submission",
    "pbb": "pajak bumi dan bangunan",
    "pbg": "persetujuan bangunan gedung",
    "siup": "surat izin usaha perdagangan",
    "skck": "surat keterangan catatan kepolisian",
    "sktm": "surat keterangan tidak mampu",
    "slf": "sertifikat laik fungsi",
    "sptjm": "surat pernyataan tanggung jawab mutlak",
    "umkm": "usaha mikro kecil dan menengah",
}

_NOT_A_WORD = re.compile(r"[\W_]+")


def words(text: str) -> list[str]:
    """Lowercase words, cut at spaces and punctuation."""
    return [word for word in _NOT_A_WORD.split(text.lower()) if word]


def index_text(parts: list[str]) -> str:
    """The `search_text` of these texts: their words, then the long forms and abbreviations they contain."""
    found = words(" ".join(parts))
    text = " " + " ".join(found) + " "
    extra = [ABBREVIATIONS[word] for word in dict.fromkeys(found) if word in ABBREVIATIONS]
    extra += [abbr for abbr, long in ABBREVIATIONS.items() if f" {long} " in text and abbr not in found]
    return text + (" ".join(extra) + " " if extra else "")


def terms(query: str) -> list[str]:
    return words(query)[:MAX_TERMS]


def alternatives(term: str) -> list[str]:
    return [term, ABBREVIATIONS[term]] if term in ABBREVIATIONS else [term]


def apply(qs: QuerySet, query: str, field: str = "search_text") -> QuerySet:
    """`qs` with every word of `query` found, whole-word matches first (annotated `word_matches`)."""
    found = terms(query)
    if not found:
        return qs
    score: Any = Value(0)  # a sum of CASE expressions, one per word
    for term in found:
        options = alternatives(term)
        anywhere = Q()
        whole = Q()
        for option in options:
            anywhere |= Q(**{f"{field}__contains": option})
            whole |= Q(**{f"{field}__contains": f" {option} "})
        qs = qs.filter(anywhere)
        score = score + Case(When(whole, then=Value(1)), default=Value(0), output_field=IntegerField())
    return qs.annotate(word_matches=score)
