"""Benchmark the matching engine against bm25s and tantivy on generated Vietnamese listings.

Usage: python bench/engine.py [--offers 100000] [--queries 200] [--needs 10000] [--seed 0]
                              [--systems engine bm25s tantivy]

Corpus. Technology offers and needs are generated deterministically from ``--seed`` out of a
built-in vocabulary of about 370 Vietnamese words and phrases (with diacritics) across
agriculture, food processing, mechanics, IT, medicine, environment, energy and materials.
Every pool is drawn with Zipf-like frequencies (p ~ 1/rank); a record has one main domain and
borrows from a second one now and then; titles have 6-12 syllables, descriptions 2-5
sentences of 60-120 syllables, 3-5 keywords; field codes "1".."6" (mostly from the domain),
provinces, TRL, prices / budgets and transfer forms; about 10% of the records are typed
without diacritics (``fold_text``). Records are produced one at a time, so the peers index
from a stream and never hold the texts; the engine is handed lists of records, which it keeps.

Each system runs in a fresh subprocess (``--worker NAME``), so its memory does not mix with
the others'. Figures (printed as a table, then ONE JSON line with the engine's figures at the
top level and the peers' under ``peers``):

- ``index_build_s``: wall time to a queryable index of all offers and needs (engine:
  ``Matcher().fit(offers, needs)`` from the records, its text analysis included, after a
  warm-up fit on 200 documents that triggers the numba compilation; peers: indexing the
  given tokens, one index per side, a tantivy merge included);
- ``tokenize_s`` (peers only): the time ``evalkit.folded_grams`` took to make those tokens
  (pure Python; peers' text-to-index time is ``index_build_s + tokenize_s``);
- ``peak_rss_mb``: ``resource.getrusage`` maxrss of the process after the build (the
  high-water mark, generation included); ``rss_delta_mb``: resident memory after minus
  before the build (the engine's records were generated before, so they are not counted);
- ``bytes_per_listing``: index bytes per offer; engine ``offers_.memory_bytes()``, bm25s
  its CSC arrays, tantivy (no size API for a RAM index) the RSS growth of its offers index;
- ``top10_median_ms`` / ``top10_p99_ms``: one need against the offers, top 10 (engine:
  ``match_need(k=10)`` with explanations), over ``--queries`` needs;
- ``search_median_ms``: a short 2-4 word query, top 20 (``search_offers(k=20)``);
- ``update_visible_ms``: median over 20 rounds of (change one offer, new or edited, then one
  query) minus the same query again. Engine: ``upsert_offer``; tantivy: delete by id term,
  add, commit, reload the reader; bm25s has no incremental update, so its figure is the time
  to rebuild the offers index (its measured offers build time, not re-run);
- ``report_s``: top 10 for min(needs, 10000) needs in one batch (engine ``match_needs(k=10,
  explain=False)`` on its 2 worker threads; bm25s ``retrieve(n_threads=2)``; tantivy 2
  Python threads sharing one searcher);
- ``best_score_s``: the best candidate score of every need and every offer (engine
  ``match_needs(k=1)`` + ``match_offers(k=1)``; peers the same with the other side's index).

Peers see the same tokens: diacritic-folded syllable 1-2 grams (``evalkit.folded_grams``) of
the title, description and keywords, made outside the clock (queries included), so the
peers' figures are of their indexes alone while the engine's include its text analysis.
bm25s: ``BM25(backend="numba")``, defaults otherwise, a query scored with ``get_scores`` on
its distinct known tokens and cut with ``argpartition``. tantivy: an in-RAM index with one
``whitespace``-tokenised text field (frequencies, no positions) holding the tokens, a bigram
written ``a_b``; a query is a boolean ``Should`` of term queries on the distinct tokens; the
index is merged before timing. The machine is shared: compare figures of one run, and expect
a third of noise.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np
from evalkit import folded_grams

from app.matching.engine import Matcher, NeedRecord, OfferRecord, fold_text

SYSTEMS = ("engine", "bm25s", "tantivy")
KEYS = (
    "index_build_s",
    "peak_rss_mb",
    "rss_delta_mb",
    "bytes_per_listing",
    "top10_median_ms",
    "top10_p99_ms",
    "search_median_ms",
    "update_visible_ms",
    "report_s",
    "best_score_s",
)
REPORT_MAX = 10_000
UPDATE_ROUNDS = 20
CHUNK = 10_000

# ------------------------------------------------------------------------------ vocabulary
# fmt: off
# Per domain: field codes (most likely first), objects, processes, equipment, users.
DOMAINS: dict[str, dict[str, tuple[str, ...]]] = {
    "agriculture": {
        "fields": ("4", "1", "2"),
        "objects": (
            "lúa", "cà phê", "hồ tiêu", "sầu riêng", "thanh long", "xoài", "rau an toàn",
            "cây giống", "phân bón hữu cơ", "thức ăn chăn nuôi", "tôm thẻ chân trắng",
            "cá tra", "bò sữa", "gà thả vườn", "nấm linh chi", "đất phèn", "hạt giống", "mía",
        ),
        "processes": (
            "nuôi cấy mô", "tưới nhỏ giọt", "canh tác", "chọn tạo giống", "nhân giống",
            "phòng trừ sâu bệnh", "ủ phân", "thủy canh", "nuôi trồng", "thu hoạch",
        ),
        "equipment": (
            "cảm biến độ ẩm đất", "nhà màng", "hệ thống tưới", "máy gieo hạt",
            "bẫy côn trùng", "chế phẩm vi sinh",
        ),
        "users": (
            "hợp tác xã", "nông hộ", "trang trại", "vùng đồng bằng sông Cửu Long",
            "vùng trung du miền núi",
        ),
    },
    "food": {
        "fields": ("2", "4"),
        "objects": (
            "nước mắm", "trái cây sấy", "nước ép", "bánh tráng", "cà phê hòa tan", "trà xanh",
            "sữa chua", "thịt nguội", "thủy sản đông lạnh", "tinh bột sắn",
            "rượu vang trái cây", "mật ong", "dầu dừa",
        ),
        "processes": (
            "sấy lạnh", "sấy thăng hoa", "lên men", "thanh trùng", "đóng gói chân không",
            "cô đặc", "chiết xuất", "bảo quản lạnh", "trích ly", "đông khô",
        ),
        "equipment": (
            "buồng sấy", "thiết bị cô đặc", "dây chuyền đóng gói", "nồi hấp tiệt trùng",
            "kho lạnh", "máy ép",
        ),
        "users": ("cơ sở chế biến", "doanh nghiệp thực phẩm", "làng nghề", "hộ kinh doanh"),
    },
    "mechanics": {
        "fields": ("2",),
        "objects": (
            "máy gặt đập liên hợp", "băng tải", "hộp số", "trục khuỷu", "khuôn ép nhựa",
            "bánh răng", "máy phay CNC", "robot hàn", "động cơ điện", "bơm thủy lực",
            "cầu trục", "máy nén khí",
        ),
        "processes": (
            "gia công", "hàn tự động", "đúc áp lực", "tiện", "mài", "lắp ráp",
            "điều khiển số", "cắt laser", "nhiệt luyện", "chế tạo",
        ),
        "equipment": (
            "bộ điều khiển PLC", "cảm biến vị trí", "xi lanh khí nén", "ổ bi", "biến tần",
            "khung thép",
        ),
        "users": (
            "nhà máy cơ khí", "xưởng sản xuất", "doanh nghiệp vừa và nhỏ", "khu công nghiệp",
        ),
    },
    "it": {
        "fields": ("1", "2", "5"),
        "objects": (
            "phần mềm quản lý", "ứng dụng di động", "nền tảng dữ liệu",
            "hệ thống truy xuất nguồn gốc", "trí tuệ nhân tạo", "học máy", "chuỗi khối",
            "điện toán đám mây", "cơ sở dữ liệu", "mạng cảm biến không dây",
            "thị giác máy tính", "xử lý ngôn ngữ tự nhiên", "internet vạn vật",
        ),
        "processes": (
            "phân tích dữ liệu", "nhận dạng hình ảnh", "dự báo", "giám sát từ xa",
            "tự động hóa", "số hóa", "bảo mật thông tin", "tích hợp", "xác thực",
            "trực quan hóa",
        ),
        "equipment": (
            "máy chủ", "mã QR", "thiết bị đầu cuối", "giao diện lập trình",
            "camera thông minh", "bảng điều khiển",
        ),
        "users": ("cơ quan nhà nước", "bệnh viện", "trường học", "chuỗi bán lẻ"),
    },
    "medicine": {
        "fields": ("3", "1"),
        "objects": (
            "vắc xin", "kháng sinh", "dược liệu", "cao chiết", "thực phẩm chức năng",
            "kit chẩn đoán", "tế bào gốc", "thuốc thảo dược", "sâm Ngọc Linh", "nghệ",
            "vật tư y tế", "khẩu trang kháng khuẩn", "chỉ khâu phẫu thuật",
        ),
        "processes": (
            "chẩn đoán", "điều trị", "bào chế", "tinh chế", "xét nghiệm nhanh", "sàng lọc",
            "phục hồi chức năng", "tiệt khuẩn", "kiểm nghiệm", "nuôi cấy tế bào",
        ),
        "equipment": (
            "máy siêu âm", "máy thở", "thiết bị xét nghiệm", "viên nang", "bộ sinh phẩm",
            "hệ thống nội soi",
        ),
        "users": ("bệnh viện tuyến tỉnh", "trạm y tế", "công ty dược", "phòng khám"),
    },
    "environment": {
        "fields": ("2", "1", "5"),
        "objects": (
            "nước thải", "chất thải rắn", "rác thải sinh hoạt", "bùn thải", "khí thải",
            "nước sinh hoạt", "nhựa phế thải", "nước ngầm", "đất ô nhiễm", "kim loại nặng",
            "chất thải chăn nuôi", "rơm rạ",
        ),
        "processes": (
            "xử lý", "tái chế", "lọc sinh học", "quan trắc", "phân loại", "khử mùi",
            "thu hồi", "keo tụ", "oxy hóa nâng cao", "ủ compost",
        ),
        "equipment": (
            "bể lọc", "màng lọc", "lò đốt", "trạm quan trắc tự động", "hầm biogas",
            "bể phản ứng",
        ),
        "users": ("khu dân cư", "làng nghề tái chế", "khu xử lý chất thải", "đô thị"),
    },
    "energy": {
        "fields": ("2", "1"),
        "objects": (
            "điện mặt trời", "điện gió", "pin lưu trữ", "biogas", "nhiên liệu sinh học",
            "hydro xanh", "lưới điện thông minh", "đèn LED", "viên nén sinh khối",
            "điện mặt trời áp mái", "nhiệt thải",
        ),
        "processes": (
            "tiết kiệm năng lượng", "chuyển đổi năng lượng", "lưu trữ điện",
            "quản lý năng lượng", "đồng phát", "khí hóa", "nhiệt phân", "hòa lưới",
            "sạc nhanh", "tối ưu hóa",
        ),
        "equipment": (
            "tấm pin quang điện", "bộ nghịch lưu", "tua bin", "bộ điều khiển sạc", "lò hơi",
            "ắc quy lithium",
        ),
        "users": ("nhà máy", "tòa nhà", "hộ gia đình", "vùng hải đảo"),
    },
    "materials": {
        "fields": ("2", "1", "6"),
        "objects": (
            "vật liệu composite", "gạch không nung", "bê tông nhẹ", "vật liệu nano",
            "màng phủ sinh học", "sợi carbon", "gốm kỹ thuật", "thép không gỉ",
            "polyme phân hủy sinh học", "vải kỹ thuật", "tro bay", "vật liệu cách nhiệt",
            "graphene",
        ),
        "processes": (
            "phủ", "tổng hợp", "biến tính", "ép nóng", "thiêu kết", "trộn", "sơn tĩnh điện",
            "mạ", "tạo hạt", "đóng rắn",
        ),
        "equipment": (
            "chất kết dính", "phụ gia", "sợi gia cường", "lớp phủ chống ăn mòn", "khuôn",
            "hạt nhựa",
        ),
        "users": (
            "công trình xây dựng", "ngành dệt may", "ngành đóng tàu", "doanh nghiệp bao bì",
        ),
    },
}
DOMAIN_WEIGHTS = (0.22, 0.16, 0.14, 0.14, 0.1, 0.1, 0.08, 0.06)  # order of DOMAINS
OFFER_HEADS = (
    "Công nghệ", "Quy trình", "Hệ thống", "Thiết bị", "Giải pháp", "Dây chuyền", "Chế phẩm",
    "Mô hình", "Phương pháp", "Máy", "Kỹ thuật", "Ứng dụng", "Sản xuất", "Bộ",
)
NEED_HEADS = (
    "Cần tìm", "Tìm kiếm", "Cần chuyển giao", "Đặt hàng", "Nhu cầu", "Cần hỗ trợ",
    "Tìm đối tác",
)
QUALIFIERS = (
    "tự động", "hiệu suất cao", "giá thành thấp", "thân thiện môi trường", "quy mô nhỏ",
    "quy mô công nghiệp", "thông minh", "tiết kiệm điện", "an toàn", "bền vững",
    "công suất lớn", "chi phí thấp", "chất lượng cao", "đạt tiêu chuẩn", "hiện đại",
)
METRICS = (
    "năng suất", "chi phí vận hành", "hiệu suất", "chất lượng sản phẩm", "tuổi thọ",
    "độ chính xác", "thời gian xử lý", "tiêu hao năng lượng", "tỷ lệ hao hụt",
    "giá trị gia tăng",
)
VERBS = ("nâng cao", "giảm", "tăng", "cải thiện", "tối ưu", "rút ngắn", "kiểm soát", "ổn định")
BENEFITS = (
    "đáp ứng tiêu chuẩn xuất khẩu", "phù hợp điều kiện Việt Nam", "dễ vận hành và bảo trì",
    "thay thế sản phẩm nhập khẩu", "giảm phát thải khí nhà kính",
    "tạo việc làm cho lao động địa phương", "đã được cấp bằng sáng chế",
    "đã ứng dụng thành công", "thời gian hoàn vốn ngắn", "không sử dụng hóa chất độc hại",
)
CONNECTORS = (
    "nhằm", "giúp", "cho phép", "với", "trong", "kết hợp", "dựa trên", "sử dụng", "bằng",
    "phục vụ", "dùng cho", "áp dụng cho", "để", "và",
)
UNITS = ("%", "lần", "tấn mỗi ngày", "kWh", "ngày", "giờ", "tháng")
NEED_OPENERS = (
    "Đơn vị đang tìm", "Chúng tôi cần", "Mong muốn hợp tác với đơn vị có", "Ưu tiên",
    "Yêu cầu", "Hiện đang thiếu",
)
TEMPLATES = (
    "{head} {process} {object} {connector} {user}",
    "giải pháp giúp {verb} {metric} thêm {number} {unit} so với phương pháp truyền thống",
    "{object} được {process} bằng {equipment} {qualifier}",
    "hệ thống gồm {equipment}, {equipment2} và {equipment3}",
    "phù hợp với {user} tại {place}",
    "sản phẩm đã được thử nghiệm tại {place} với {metric} đạt {number} {unit}",
    "công nghệ có khả năng {process} {object} {qualifier}, {benefit}",
    "{connector} {verb} {metric} và {benefit}",
)
NEED_TEMPLATES = (
    "{opener} {head} {process} {object} {qualifier}",
    "hiện nay {user} gặp khó khăn về {metric} khi {process} {object}",
    "cần {equipment} {qualifier} để {verb} {metric}",
    "kinh phí dự kiến khoảng {number} triệu đồng, {benefit}",
)
CLAUSES = (
    "{connector} {object}", "{connector} {process} {object}", "{connector} {equipment}",
    "{connector} {object} {qualifier}", "{connector} {verb} {metric}", "{connector} {user}",
    "và {benefit}", "{connector} {process} {qualifier}",
)
SEARCHES = (
    "{object}", "{process} {object}", "{equipment}", "{object} {qualifier}", "{process}",
    "{equipment} {qualifier}",
)
DOMAIN_SLOTS = {
    "process": "processes", "object": "objects", "equipment": "equipment",
    "equipment2": "equipment", "equipment3": "equipment", "user": "users",
}
PLACES = (
    "Hà Nội", "Thành phố Hồ Chí Minh", "Cần Thơ", "Đà Nẵng", "Lâm Đồng", "Đắk Lắk", "Nghệ An",
    "Thanh Hóa", "An Giang", "Đồng Tháp", "Hải Phòng", "Thái Nguyên", "Khánh Hòa", "Cà Mau",
)
PROVINCES = (
    "01", "79", "31", "48", "92", "24", "38", "40", "66", "68", "75", "91", "82", "19",
    "22", "25", "33", "37", "42", "44", "46", "51", "52", "56", "80", "86", "96", "04",
    "08", "11", "12", "14", "15", "20",
)
TRANSFER_FORMS = (
    "licence", "assignment", "technical_service", "equipment", "joint_development",
    "turnkey", "capital_contribution",
)
# fmt: on


class Zipf:
    """Draws from a fixed pool with p ~ 1 / rank**s (the pool's order is its rank).

    The distribution is laid out in a table of 2**12 slots (largest remainders), so a draw
    is one ``getrandbits``."""

    BITS = 12

    def __init__(
        self, items: Sequence[Any], s: float = 1.0, weights: Sequence[float] | None = None
    ) -> None:
        self.items = tuple(items)
        if weights is None:
            weights = [1.0 / (r + 1) ** s for r in range(len(self.items))]
        size = 2**self.BITS
        exact = [w * size / sum(weights) for w in weights]
        counts = [max(1, int(x)) for x in exact]
        by_remainder = sorted(range(len(exact)), key=lambda i: int(exact[i]) - exact[i])
        for i in itertools.islice(itertools.cycle(by_remainder), max(0, size - sum(counts))):
            counts[i] += 1
        while sum(counts) > size:  # the floor of 1 overshot: take from the largest
            counts[counts.index(max(counts))] -= 1
        self.table = tuple(
            item for item, c in zip(self.items, counts, strict=True) for _ in range(c)
        )

    def __call__(self, rng: random.Random) -> Any:
        return self.table[rng.getrandbits(self.BITS)]


def syllables(text: str) -> int:
    return len(text.split())


def clip(text: str, n: int) -> str:
    """The first ``n`` syllables of ``text``."""
    return " ".join(text.split()[:n])


class Slots(dict[str, str]):
    """Template slots drawn lazily (``str.format_map`` asks only for the ones it uses)."""

    def __init__(self, corpus: Corpus, rng: random.Random, main: int) -> None:
        super().__init__()
        self.corpus, self.rng, self.main = corpus, rng, main

    def __missing__(self, key: str) -> str:
        rng, corpus = self.rng, self.corpus
        if key in DOMAIN_SLOTS:
            domain = self.main if rng.random() < 0.8 else corpus.domain(rng)
            value = corpus.domains[domain][DOMAIN_SLOTS[key]](rng)
        elif key == "number":
            value = str(rng.choice((5, 10, 15, 20, 25, 30, 40, 50, 100, 200, 500)))
        else:
            value = corpus.pools[key](rng)
        self[key] = value
        return str(value)


class Corpus:
    """Deterministic streams of offers, needs, short queries and edits for one seed.

    Each stream has its own ``random.Random``, so every process sees the same records."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.domains = [
            {k: Zipf(v) if k != "fields" else v for k, v in d.items()} for d in DOMAINS.values()
        ]
        self.domain = Zipf(range(len(self.domains)), weights=DOMAIN_WEIGHTS)
        self.pools = {
            "head": Zipf(OFFER_HEADS),
            "need_head": Zipf(NEED_HEADS),
            "qualifier": Zipf(QUALIFIERS),
            "metric": Zipf(METRICS),
            "verb": Zipf(VERBS),
            "benefit": Zipf(BENEFITS),
            "connector": Zipf(CONNECTORS, 0.7),
            "unit": Zipf(UNITS),
            "opener": Zipf(NEED_OPENERS),
            "place": Zipf(PLACES),
            "province": Zipf(PROVINCES, 0.8),
            "template": Zipf(TEMPLATES, 0.5),
            "need_template": Zipf(NEED_TEMPLATES, 0.3),
        }

    def _rng(self, stream: int) -> random.Random:
        return random.Random(self.seed * 1_000_003 + stream)

    def _slots(self, rng: random.Random, main: int) -> Slots:
        """Template slot values, drawn on first use, mostly from the main domain."""
        return Slots(self, rng, main)

    def _title(self, rng: random.Random, main: int, need: bool) -> str:
        s = self._slots(rng, main)
        parts = [s["head"], s["process"], s["object"]]
        if need:
            parts.insert(0, self.pools["need_head"](rng))
            parts[1] = parts[1].lower()
        extra = [s["qualifier"], s["connector"], s["user"]]
        target = rng.randint(6, 12)
        text = " ".join(parts)
        while syllables(text) < target and extra:  # whole phrases, cut only past 12
            text += " " + extra.pop(0)
        return clip(text, 12)

    def _clause(self, rng: random.Random, main: int) -> str:
        """A connective clause that lengthens a sentence."""
        s = self._slots(rng, main)
        return rng.choice(CLAUSES).format_map(s)

    def _description(self, rng: random.Random, main: int, need: bool) -> str:
        n_sentences = rng.randint(2, 5)
        target = rng.randint(60, 120)
        sentences: list[str] = []
        used = 0
        for i in range(n_sentences):
            budget = (target - used) // (n_sentences - i)
            s = self._slots(rng, main)
            if need and i == 0:
                text = NEED_TEMPLATES[0].format_map(s)
            else:
                pool = "need_template" if need and rng.random() < 0.5 else "template"
                text = self.pools[pool](rng).format_map(s)
            length = syllables(text)
            while length < budget - 2:  # lengthen with whole clauses
                clause = self._clause(rng, main)
                text += " " + clause
                length += syllables(clause)
            if i == n_sentences - 1 and used + length > 120:
                text, length = clip(text, 120 - used), 120 - used
            used += length
            sentences.append(text[0].upper() + text[1:] + ".")
        return " ".join(sentences)

    def _keywords(self, rng: random.Random, main: int) -> tuple[str, ...]:
        d = self.domains[main]
        out: list[str] = []
        wanted = rng.randint(3, 5)
        for _ in range(30):
            if len(out) >= wanted:
                break
            kw = d[rng.choice(("objects", "processes", "equipment"))](rng)
            if kw not in out:
                out.append(kw)
        return tuple(out)

    def _common(self, rng: random.Random, need: bool) -> dict[str, Any]:
        main = self.domain(rng)
        fields = DOMAINS[list(DOMAINS)[main]]["fields"]
        field = fields[0] if rng.random() < 0.7 else rng.choice("123456")
        out = {
            "title": self._title(rng, main, need),
            "description": self._description(rng, main, need),
            "keywords": self._keywords(rng, main),
            "field_code": field if rng.random() < 0.95 else None,
            "province_code": self.pools["province"](rng),
            "transfer_forms": tuple(rng.sample(TRANSFER_FORMS, rng.randint(1, 3))),
        }
        if rng.random() < 0.1:  # typed without diacritics
            out["title"] = fold_text(out["title"])
            out["description"] = fold_text(out["description"])
            out["keywords"] = tuple(fold_text(k) for k in out["keywords"])
        return out

    def _offer(self, rng: random.Random, offer_id: str) -> OfferRecord:
        common = self._common(rng, need=False)
        low = rng.choice((50, 100, 200, 300, 500, 800, 1000, 2000, 5000)) * 1_000_000
        return OfferRecord(
            id=offer_id,
            trl=rng.randint(3, 9),
            price_min_vnd=low,
            price_max_vnd=int(low * rng.choice((1, 1.5, 2, 3))),
            **common,
        )

    def offers(self, n: int, stream: int = 1, prefix: str = "o") -> Iterator[OfferRecord]:
        rng = self._rng(stream)
        for i in range(n):
            yield self._offer(rng, f"{prefix}{i:07d}")

    def needs(self, n: int) -> Iterator[NeedRecord]:
        rng = self._rng(2)
        for i in range(n):
            common = self._common(rng, need=True)
            yield NeedRecord(
                id=f"n{i:07d}",
                desired_trl_min=rng.randint(3, 8),
                budget_max_vnd=rng.choice((100, 300, 500, 1000, 2000, 5000)) * 1_000_000,
                **common,
            )

    def searches(self, n: int) -> list[str]:
        """Short 2-4 word queries, as typed in a search box (10% without diacritics)."""
        rng = self._rng(3)
        out = []
        while len(out) < n:
            s = self._slots(rng, self.domain(rng))
            text = rng.choice(SEARCHES).format_map(s)
            if 2 <= syllables(text) <= 4:
                out.append(fold_text(text) if rng.random() < 0.1 else text)
        return out

    def edits(self, n: int, n_offers: int) -> list[OfferRecord]:
        """Offers for the update rounds: even rounds new ids, odd rounds an existing id."""
        rng = self._rng(4)
        out = []
        for i in range(n):
            offer_id = f"o{rng.randrange(n_offers):07d}" if i % 2 else f"x{i:07d}"
            out.append(self._offer(rng, offer_id))
        return out


def record_text(record: OfferRecord | NeedRecord) -> str:
    """Title, description and keywords as one text (the peers' input)."""
    return " . ".join([record.title, record.description, *record.keywords])


# ---------------------------------------------------------------------------- measurement
def rss_mb() -> float:
    """Current resident set size."""
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def ms(seconds: Sequence[float]) -> dict[str, float]:
    values = [s * 1000 for s in seconds]
    return {"median": statistics.median(values), "p99": float(np.percentile(values, 99))}


def timed(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def log(message: str, figures: dict[str, Any] | None = None) -> None:
    """A progress line on stderr, with the figures measured so far."""
    if figures:
        message += " (so far: " + ", ".join(f"{k} {v:.3f}" for k, v in figures.items()) + ")"
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------- engine
def run_engine(args: argparse.Namespace) -> dict[str, Any]:
    corpus = Corpus(args.seed)
    warm_offers = list(corpus.offers(200, stream=9, prefix="w"))
    warm_needs = list(corpus.needs(100))
    warm = Matcher().fit(warm_offers, warm_needs)  # numba compilation, not timed
    warm.match_need(warm_needs[0], k=10)
    warm.search_offers("máy sấy", k=20)
    warm.match_needs(warm_needs, k=10, explain=False)
    warm.match_offers(warm_offers[:100], k=1, explain=False)
    warm.upsert_offer(warm_offers[0])
    del warm, warm_offers, warm_needs

    log("engine: generating")
    offers = list(corpus.offers(args.offers))
    needs = list(corpus.needs(args.needs))
    gc.collect()
    before = rss_mb()
    log("engine: fit")
    start = time.perf_counter()
    matcher = Matcher().fit(offers, needs)
    out: dict[str, Any] = {"index_build_s": time.perf_counter() - start}
    gc.collect()
    out["peak_rss_mb"] = maxrss_mb()
    out["rss_delta_mb"] = rss_mb() - before
    out["bytes_per_listing"] = matcher.offers_.memory_bytes() / matcher.n_offers

    queries = query_needs(corpus, needs, args.queries)
    matcher.match_need(queries[0], k=10)
    log("engine: queries", out)
    top = ms([timed(lambda q=q: matcher.match_need(q, k=10)) for q in queries])
    out["top10_median_ms"], out["top10_p99_ms"] = top["median"], top["p99"]
    searches = corpus.searches(args.queries)
    found = [timed(lambda s=s: matcher.search_offers(s, k=20)) for s in searches]
    out["search_median_ms"] = ms(found)["median"]

    visible = []
    for i, edit in enumerate(corpus.edits(UPDATE_ROUNDS, args.offers)):
        q = queries[i % len(queries)]
        changed = timed(lambda e=edit, q=q: (matcher.upsert_offer(e), matcher.match_need(q, k=10)))
        plain = timed(lambda q=q: matcher.match_need(q, k=10))
        visible.append(changed - plain)
    out["update_visible_ms"] = ms(visible)["median"]

    log("engine: report", out)
    batch = needs[:REPORT_MAX]
    out["report_s"] = timed(lambda: matcher.match_needs(batch, k=10, explain=False))
    log("engine: best scores", out)
    start = time.perf_counter()
    matcher.match_needs(needs, k=1, explain=False)
    matcher.match_offers(offers, k=1, explain=False)
    out["best_score_s"] = time.perf_counter() - start
    return out


def query_needs(corpus: Corpus, needs: list[NeedRecord], n: int) -> list[NeedRecord]:
    """The first ``n`` indexed needs (more generated if there are fewer)."""
    if len(needs) >= n:
        return needs[:n]
    return list(itertools.islice(corpus.needs(n), n))


# ---------------------------------------------------------------------------------- peers
class Peer:
    """A peer index of one side: build from a record stream, top-k of token lists."""

    build_s = 0.0

    def build(self, stream: Iterable[list[str]]) -> None:
        raise NotImplementedError

    def top(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        raise NotImplementedError

    def batch(self, token_lists: list[list[str]], k: int) -> None:
        raise NotImplementedError

    def nbytes(self) -> int | None:
        return None


class Bm25sPeer(Peer):
    """bm25s (numba backend) over folded syllable 1-2 grams."""

    def build(self, stream: Iterable[list[str]]) -> None:
        import bm25s

        vocab: dict[str, int] = {}
        ids: list[array[int]] = []
        spent = 0.0
        for tokens in stream:
            start = time.perf_counter()
            ids.append(array("i", [vocab.setdefault(t, len(vocab)) for t in tokens]))
            spent += time.perf_counter() - start
        start = time.perf_counter()
        self.retriever = bm25s.BM25(backend="numba")
        self.retriever.index((ids, vocab), show_progress=False)
        self.n_docs = len(ids)
        self.build_s = spent + time.perf_counter() - start

    def _ids(self, tokens: list[str]) -> list[int]:
        vocab = self.retriever.vocab_dict
        return list(dict.fromkeys(vocab[t] for t in tokens if t in vocab))

    def top(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        ids = self._ids(tokens)
        if not ids:
            return []
        scores = self.retriever.get_scores(ids)
        rows = np.argpartition(-scores, k - 1)[:k] if len(scores) > k else np.arange(len(scores))
        rows = rows[np.argsort(-scores[rows], kind="stable")]
        return [(int(r), float(scores[r])) for r in rows if scores[r] > 0]

    def batch(self, token_lists: list[list[str]], k: int) -> None:
        empty = self.retriever.vocab_dict[""]
        queries = [self._ids(t) or [empty] for t in token_lists]
        self.retriever.retrieve(queries, k=k, n_threads=2, show_progress=False)

    def nbytes(self) -> int:
        s = self.retriever.scores
        return int(s["data"].nbytes + s["indices"].nbytes + s["indptr"].nbytes)


class TantivyPeer(Peer):
    """tantivy, in RAM: one whitespace-tokenised field of the tokens (bigrams as a_b)."""

    def __init__(self) -> None:
        import tantivy

        self.tantivy = tantivy
        builder = tantivy.SchemaBuilder()
        builder.add_unsigned_field("id", indexed=True)
        builder.add_text_field("text", tokenizer_name="whitespace", index_option="freq")
        self.schema = builder.build()
        self.index = tantivy.Index(self.schema)
        self.index.config_reader(reload_policy="Manual")
        self.writer: Any = None

    def _document(self, number: int, tokens: list[str]) -> Any:
        doc = self.tantivy.Document()
        doc.add_unsigned("id", number)
        doc.add_text("text", " ".join(t.replace(" ", "_") for t in tokens))
        return doc

    def build(self, stream: Iterable[list[str]]) -> None:
        writer = self.index.writer(heap_size=256_000_000, num_threads=2)
        spent = 0.0
        self.n_docs = 0
        for tokens in stream:
            start = time.perf_counter()
            writer.add_document(self._document(self.n_docs, tokens))
            self.n_docs += 1
            spent += time.perf_counter() - start
        start = time.perf_counter()
        writer.commit()
        writer.wait_merging_threads()
        self.index.reload()
        self.searcher = self.index.searcher()
        self.build_s = spent + time.perf_counter() - start

    def _query(self, tokens: list[str]) -> Any:
        t = self.tantivy
        return t.Query.boolean_query(
            [
                (t.Occur.Should, t.Query.term_query(self.schema, "text", w.replace(" ", "_")))
                for w in dict.fromkeys(tokens)
            ]
        )

    def top(self, tokens: list[str], k: int) -> list[tuple[int, float]]:
        if not tokens:
            return []
        hits = self.searcher.search(self._query(tokens), limit=k, count=False).hits
        return [(address.doc, float(score)) for score, address in hits]

    def batch(self, token_lists: list[list[str]], k: int) -> None:
        with ThreadPoolExecutor(max_workers=2) as pool:
            list(pool.map(lambda t: self.top(t, k), token_lists, chunksize=64))

    def replace(self, number: int, tokens: list[str]) -> None:
        """Delete the document ``number`` (if any), add the new version, commit, reload."""
        if self.writer is None:
            self.writer = self.index.writer(heap_size=64_000_000, num_threads=1)
        self.writer.delete_documents_by_term("id", number)
        self.writer.add_document(self._document(number, tokens))
        self.writer.commit()
        self.index.reload()
        self.searcher = self.index.searcher()


class Tokens:
    """``folded_grams`` of a record stream; ``seconds`` is the tokenising time alone.

    With ``spill``, the tokens are also written there, one tab-separated line per record
    (outside the clock), so the later passes read them back instead of generating and
    tokenising again."""

    def __init__(
        self, records: Iterable[OfferRecord | NeedRecord], spill: Path | None = None
    ) -> None:
        self.records = records
        self.spill = spill
        self.seconds = 0.0

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.spill or os.devnull, "w", encoding="utf-8") as handle:
            for record in self.records:
                start = time.perf_counter()
                tokens = folded_grams(record_text(record))
                self.seconds += time.perf_counter() - start
                yield tokens
                if self.spill is not None:
                    handle.write("\t".join(tokens) + "\n")


def spilled(path: Path, size: int = CHUNK) -> Iterator[list[list[str]]]:
    """The token lists a ``Tokens`` pass wrote to ``path``, ``size`` records at a time."""
    with path.open(encoding="utf-8") as handle:
        while lines := list(itertools.islice(handle, size)):
            yield [line.rstrip("\n").split("\t") if line != "\n" else [] for line in lines]


def tokenize(records: Iterable[OfferRecord | NeedRecord]) -> list[list[str]]:
    return [folded_grams(record_text(r)) for r in records]


def run_peer(args: argparse.Namespace) -> dict[str, Any]:
    corpus = Corpus(args.seed)
    make: Callable[[], Peer] = Bm25sPeer if args.worker == "bm25s" else TantivyPeer
    warm = make()  # compilation / first-use costs, not timed
    warm.build(Tokens(corpus.offers(200, stream=9, prefix="w")))
    warm_tokens = tokenize(corpus.needs(100))
    warm.top(warm_tokens[0], 10)
    warm.batch(warm_tokens, 10)
    del warm, warm_tokens
    gc.collect()

    spill = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    try:
        return measure_peer(args, corpus, make, spill)
    finally:
        shutil.rmtree(spill, ignore_errors=True)


def measure_peer(
    args: argparse.Namespace, corpus: Corpus, make: Callable[[], Peer], spill: Path
) -> dict[str, Any]:
    before = rss_mb()
    log(f"{args.worker}: building the offers index")
    offers_index = make()
    offer_tokens = Tokens(corpus.offers(args.offers), spill / "offers.tsv")
    offers_index.build(offer_tokens)
    gc.collect()
    offers_rss = rss_mb() - before
    log(f"{args.worker}: building the needs index")
    needs_index, need_tokens = make(), Tokens(corpus.needs(args.needs), spill / "needs.tsv")
    needs_index.build(need_tokens)
    gc.collect()
    out: dict[str, Any] = {"index_build_s": offers_index.build_s + needs_index.build_s}
    out["tokenize_s"] = offer_tokens.seconds + need_tokens.seconds
    out["peak_rss_mb"] = maxrss_mb()
    out["rss_delta_mb"] = rss_mb() - before
    nbytes = offers_index.nbytes()
    out["bytes_per_listing"] = (nbytes if nbytes is not None else offers_rss * 2**20) / args.offers

    log(f"{args.worker}: queries", out)
    report_tokens = list(itertools.chain.from_iterable(spilled(spill / "needs.tsv")))
    del report_tokens[REPORT_MAX:]
    if len(report_tokens) >= args.queries:
        queries = report_tokens[: args.queries]
    else:
        queries = tokenize(corpus.needs(args.queries))
    offers_index.top(queries[0], 10)
    top = ms([timed(lambda q=q: offers_index.top(q, 10)) for q in queries])
    out["top10_median_ms"], out["top10_p99_ms"] = top["median"], top["p99"]
    searches = [folded_grams(s) for s in corpus.searches(args.queries)]
    out["search_median_ms"] = ms([timed(lambda s=s: offers_index.top(s, 20)) for s in searches])[
        "median"
    ]

    if isinstance(offers_index, TantivyPeer):
        visible = []
        for i, edit in enumerate(corpus.edits(UPDATE_ROUNDS, args.offers)):
            q, tokens = queries[i % len(queries)], folded_grams(record_text(edit))
            number = int(edit.id[1:]) if edit.id.startswith("o") else args.offers + i
            changed = timed(
                lambda n=number, t=tokens, q=q: (
                    offers_index.replace(n, t),
                    offers_index.top(q, 10),
                )
            )
            plain = timed(lambda q=q: offers_index.top(q, 10))
            visible.append(changed - plain)
        out["update_visible_ms"] = ms(visible)["median"]
    else:  # no incremental update: a change needs the offers index rebuilt
        out["update_visible_ms"] = offers_index.build_s * 1000

    log(f"{args.worker}: report", out)
    start = time.perf_counter()
    offers_index.batch(report_tokens, 10)
    out["report_s"] = time.perf_counter() - start
    del report_tokens

    log(f"{args.worker}: best scores", out)
    spent = 0.0
    for side, index in (("needs", offers_index), ("offers", needs_index)):
        for batch in spilled(spill / f"{side}.tsv"):  # read outside the clock
            spent += timed(lambda b=batch, i=index: i.batch(b, 1))
    out["best_score_s"] = spent
    return out


# ------------------------------------------------------------------------------- driver
def run_worker(args: argparse.Namespace) -> dict[str, Any]:
    figures = run_engine(args) if args.worker == "engine" else run_peer(args)
    return {k: round(float(v), 3) for k, v in figures.items()}


def spawn(system: str, args: argparse.Namespace) -> dict[str, Any]:
    """Run one system in a fresh interpreter; its last stdout line is its JSON."""
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", system]
    command += ["--offers", str(args.offers), "--needs", str(args.needs)]
    command += ["--queries", str(args.queries), "--seed", str(args.seed)]
    done = subprocess.run(command, stdout=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{system} failed (exit {done.returncode}); see its traceback above")
    figures: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    log(f"{system} done: {json.dumps(figures)}")
    return figures


def print_table(results: dict[str, dict[str, Any]]) -> None:
    print(f"{'':<20}" + "".join(f"{s:>14}" for s in results))
    for key in (*KEYS, "tokenize_s"):
        cells = (f"{r[key]:>14.3f}" if key in r else f"{'-':>14}" for r in results.values())
        print(f"{key:<20}" + "".join(cells))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--offers", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--needs", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--systems", nargs="+", choices=SYSTEMS, default=list(SYSTEMS))
    parser.add_argument("--worker", choices=SYSTEMS, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        print(json.dumps(run_worker(args)))
        return 0

    results = {system: spawn(system, args) for system in args.systems}
    print(
        f"{args.offers} offers, {args.needs} needs, {args.queries} queries, seed {args.seed}"
        f" (cpus: {os.cpu_count()})"
    )
    print_table(results)
    main_system = "engine" if "engine" in results else next(iter(results))
    line: dict[str, Any] = {
        "offers": args.offers,
        "needs": args.needs,
        "queries": args.queries,
        "seed": args.seed,
        "system": main_system,
        **results[main_system],
        "peers": {s: r for s, r in results.items() if s != main_system},
    }
    print(json.dumps(line))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
